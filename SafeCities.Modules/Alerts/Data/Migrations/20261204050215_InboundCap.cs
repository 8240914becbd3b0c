using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;

#nullable disable

namespace SafeCities.Modules.Alerts.Data.Migrations
{
    /// <inheritdoc />
    internal partial class InboundCap : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "inbound_cap_alerts",
                schema: "alerts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    sender = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    identifier = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    sent = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    cap_version = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    status = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    msg_type = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    scope = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    @event = table.Column<string>(name: "event", type: "character varying(200)", maxLength: 200, nullable: true),
                    severity = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    urgency = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    certainty = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    headline = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    sender_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    expires = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    references = table.Column<string>(type: "text", nullable: true),
                    xml = table.Column<string>(type: "text", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    received_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    agency_id = table.Column<Guid>(type: "uuid", nullable: true),
                    superseded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    superseded_by_id = table.Column<Guid>(type: "uuid", nullable: true),
                    cancelled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbound_cap_alerts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "inbound_cap_areas",
                schema: "alerts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    alert_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    area = table.Column<Geometry>(type: "geography (geometry, 4326)", nullable: true),
                    geocodes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbound_cap_areas", x => x.id);
                    table.ForeignKey(
                        name: "fk_inbound_cap_areas_inbound_cap_alerts_alert_id",
                        column: x => x.alert_id,
                        principalSchema: "alerts",
                        principalTable: "inbound_cap_alerts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_inbound_cap_alerts_received_at",
                schema: "alerts",
                table: "inbound_cap_alerts",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "ix_inbound_cap_alerts_sender_identifier_sent",
                schema: "alerts",
                table: "inbound_cap_alerts",
                columns: new[] { "sender", "identifier", "sent" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_inbound_cap_areas_alert_id_position",
                schema: "alerts",
                table: "inbound_cap_areas",
                columns: new[] { "alert_id", "position" });

            migrationBuilder.CreateIndex(
                name: "ix_inbound_cap_areas_area",
                schema: "alerts",
                table: "inbound_cap_areas",
                column: "area")
                .Annotation("Npgsql:IndexMethod", "gist");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "inbound_cap_areas",
                schema: "alerts");

            migrationBuilder.DropTable(
                name: "inbound_cap_alerts",
                schema: "alerts");
        }
    }
}
