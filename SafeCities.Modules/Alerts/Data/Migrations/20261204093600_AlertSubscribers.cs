using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;

#nullable disable

namespace SafeCities.Modules.Alerts.Data.Migrations
{
    /// <inheritdoc />
    internal partial class AlertSubscribers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "alert_simulated_deliveries",
                schema: "alerts",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    subscriber_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    address = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    text = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    sends = table.Column<int>(type: "integer", nullable: false),
                    first_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alert_simulated_deliveries", x => new { x.message_id, x.subscriber_id });
                });

            migrationBuilder.CreateTable(
                name: "alert_subscribers",
                schema: "alerts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    address = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    language = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    confirm_token_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    unsubscribe_token_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    unsubscribe_token_sealed = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    confirmed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alert_subscribers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "alert_deliveries",
                schema: "alerts",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    subscriber_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    state = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    claimed_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alert_deliveries", x => new { x.message_id, x.subscriber_id });
                    table.ForeignKey(
                        name: "fk_alert_deliveries_alert_subscribers_subscriber_id",
                        column: x => x.subscriber_id,
                        principalSchema: "alerts",
                        principalTable: "alert_subscribers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_alert_deliveries_public_alert_messages_message_id",
                        column: x => x.message_id,
                        principalSchema: "alerts",
                        principalTable: "public_alert_messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "alert_subscriber_areas",
                schema: "alerts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    subscriber_id = table.Column<Guid>(type: "uuid", nullable: false),
                    area = table.Column<Geometry>(type: "geography (geometry, 4326)", nullable: false),
                    radius_meters = table.Column<double>(type: "double precision", nullable: false),
                    cover = table.Column<Polygon>(type: "geography (polygon, 4326)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alert_subscriber_areas", x => x.id);
                    table.ForeignKey(
                        name: "fk_alert_subscriber_areas_alert_subscribers_subscriber_id",
                        column: x => x.subscriber_id,
                        principalSchema: "alerts",
                        principalTable: "alert_subscribers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_alert_deliveries_next_attempt_at",
                schema: "alerts",
                table: "alert_deliveries",
                column: "next_attempt_at",
                filter: "state = 'pending'");

            migrationBuilder.CreateIndex(
                name: "ix_alert_deliveries_state_created_at",
                schema: "alerts",
                table: "alert_deliveries",
                columns: new[] { "state", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_alert_deliveries_subscriber_id",
                schema: "alerts",
                table: "alert_deliveries",
                column: "subscriber_id");

            migrationBuilder.CreateIndex(
                name: "ix_alert_simulated_deliveries_first_at",
                schema: "alerts",
                table: "alert_simulated_deliveries",
                column: "first_at");

            migrationBuilder.CreateIndex(
                name: "ix_alert_subscriber_areas_cover",
                schema: "alerts",
                table: "alert_subscriber_areas",
                column: "cover")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_alert_subscriber_areas_subscriber_id",
                schema: "alerts",
                table: "alert_subscriber_areas",
                column: "subscriber_id");

            migrationBuilder.CreateIndex(
                name: "ix_alert_subscribers_confirm_token_hash",
                schema: "alerts",
                table: "alert_subscribers",
                column: "confirm_token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_alert_subscribers_created_at",
                schema: "alerts",
                table: "alert_subscribers",
                column: "created_at",
                filter: "confirmed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_alert_subscribers_unsubscribe_token_hash",
                schema: "alerts",
                table: "alert_subscribers",
                column: "unsubscribe_token_hash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alert_deliveries",
                schema: "alerts");

            migrationBuilder.DropTable(
                name: "alert_simulated_deliveries",
                schema: "alerts");

            migrationBuilder.DropTable(
                name: "alert_subscriber_areas",
                schema: "alerts");

            migrationBuilder.DropTable(
                name: "alert_subscribers",
                schema: "alerts");
        }
    }
}
