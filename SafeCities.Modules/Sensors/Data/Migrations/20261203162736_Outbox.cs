using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Sensors.Data.Migrations
{
    /// <inheritdoc />
    internal partial class Outbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "sensors",
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
                schema: "sensors",
                table: "outbox_messages",
                column: "next_attempt_at",
                filter: "dispatched_at IS NULL AND failed_at IS NULL");

            // Pending work of the old marker moves into the outbox (due at once: the sweep delivers it), then the marker goes.
            migrationBuilder.Sql("""
                INSERT INTO sensors.outbox_messages (id, type, payload, created_at, next_attempt_at, attempts)
                SELECT id, 'SafeCities.Modules.Sensors.Contracts.GunshotDetectedEvent',
                       jsonb_build_object('detectionId', id, 'deviceId', device_id, 'occurredAt', occurred_at, 'latitude', latitude,
                                          'longitude', longitude, 'uncertaintyMeters', uncertainty_meters, 'rounds', rounds, 'source', source),
                       received_at, received_at, 0
                FROM sensors.detections WHERE dispatched_at IS NULL
                """);

            migrationBuilder.DropIndex(
                name: "ix_detections_received_at",
                schema: "sensors",
                table: "detections");

            migrationBuilder.DropColumn(
                name: "dispatched_at",
                schema: "sensors",
                table: "detections");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "sensors");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "dispatched_at",
                schema: "sensors",
                table: "detections",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_detections_received_at",
                schema: "sensors",
                table: "detections",
                column: "received_at",
                filter: "dispatched_at IS NULL");
        }
    }
}
