using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Alerts.Data.Migrations
{
    /// <inheritdoc />
    internal partial class Outbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "alerts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    dispatched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    failed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_next_attempt_at",
                schema: "alerts",
                table: "outbox_messages",
                column: "next_attempt_at",
                filter: "dispatched_at IS NULL AND failed_at IS NULL");

            // Pending work of the old marker moves into the outbox (due at once: the sweep delivers it), then the marker goes.
            migrationBuilder.Sql("""
                INSERT INTO alerts.outbox_messages (id, type, payload, created_at, next_attempt_at, attempts)
                SELECT i.id, 'SafeCities.Modules.Alerts.Contracts.IncidentOpenedEvent',
                       jsonb_build_object('incidentId', i.id, 'kind', i.kind, 'latitude', i.latitude, 'longitude', i.longitude, 'occurredAt', i.opened_at,
                                          'uncertaintyMeters', (SELECT d.uncertainty_meters FROM alerts.detections d WHERE d.incident_id = i.id
                                                                ORDER BY d.occurred_at LIMIT 1)),
                       i.opened_at, i.opened_at, 0
                FROM alerts.incidents i WHERE i.reactions_dispatched_at IS NULL AND i.status <> 'closed'
                """);

            migrationBuilder.DropIndex(
                name: "ix_incidents_opened_at_reactions_pending",
                schema: "alerts",
                table: "incidents");

            migrationBuilder.DropColumn(
                name: "reactions_dispatched_at",
                schema: "alerts",
                table: "incidents");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "alerts");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "reactions_dispatched_at",
                schema: "alerts",
                table: "incidents",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_incidents_opened_at_reactions_pending",
                schema: "alerts",
                table: "incidents",
                column: "opened_at",
                filter: "reactions_dispatched_at IS NULL AND status <> 'closed'");
        }
    }
}
