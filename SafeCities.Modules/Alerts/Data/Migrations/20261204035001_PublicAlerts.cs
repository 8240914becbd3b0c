using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;

#nullable disable

namespace SafeCities.Modules.Alerts.Data.Migrations
{
    /// <inheritdoc />
    internal partial class PublicAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "public_alert_messages",
                schema: "alerts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    thread_id = table.Column<Guid>(type: "uuid", nullable: false),
                    msg_type = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    state = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    incident_id = table.Column<Guid>(type: "uuid", nullable: true),
                    replaces_id = table.Column<Guid>(type: "uuid", nullable: true),
                    @event = table.Column<string>(name: "event", type: "character varying(100)", maxLength: 100, nullable: false),
                    category = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    severity = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    urgency = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    certainty = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    response_type = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    onset = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    expires = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    area_description = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    circle_latitude = table.Column<double>(type: "double precision", nullable: true),
                    circle_longitude = table.Column<double>(type: "double precision", nullable: true),
                    circle_radius_meters = table.Column<double>(type: "double precision", nullable: true),
                    polygon = table.Column<string>(type: "text", nullable: true),
                    area = table.Column<Polygon>(type: "geography (polygon, 4326)", nullable: false),
                    headline_en = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: false),
                    description_en = table.Column<string>(type: "character varying(3000)", maxLength: 3000, nullable: true),
                    instruction_en = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    headline_es = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: true),
                    description_es = table.Column<string>(type: "character varying(3000)", maxLength: 3000, nullable: true),
                    instruction_es = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    created_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    approved_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    approved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    discarded_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    discarded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    identifier = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    sent = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xml = table.Column<string>(type: "text", nullable: true),
                    e_tag = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    superseded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_public_alert_messages", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_public_alert_messages_area",
                schema: "alerts",
                table: "public_alert_messages",
                column: "area")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_public_alert_messages_identifier",
                schema: "alerts",
                table: "public_alert_messages",
                column: "identifier",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_public_alert_messages_state_superseded_at",
                schema: "alerts",
                table: "public_alert_messages",
                columns: new[] { "state", "superseded_at" });

            migrationBuilder.CreateIndex(
                name: "ix_public_alert_messages_thread_id_sent",
                schema: "alerts",
                table: "public_alert_messages",
                columns: new[] { "thread_id", "sent" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "public_alert_messages",
                schema: "alerts");
        }
    }
}
