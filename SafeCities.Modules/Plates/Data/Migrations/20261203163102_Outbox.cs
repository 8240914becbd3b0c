using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Plates.Data.Migrations
{
    /// <inheritdoc />
    internal partial class Outbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "plates",
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
                schema: "plates",
                table: "outbox_messages",
                column: "next_attempt_at",
                filter: "dispatched_at IS NULL AND failed_at IS NULL");

            // Linking passes not yet reported move to the outbox as the one reaction report, with the text ReactionText.Captured writes
            // (one vehicle per plate at its first sighting, ordered by time then plate, at most five named).
            migrationBuilder.Sql("""
                WITH pending AS (
                    SELECT pass_id, incident_id, max(linked_at) AS linked_at
                    FROM plates.incident_reads WHERE reported_at IS NULL GROUP BY pass_id, incident_id
                ), vehicles AS (
                    SELECT DISTINCT ON (l.pass_id, l.incident_id, r.plate, r.region) l.pass_id, l.incident_id, r.plate, r.captured_at,
                           concat_ws(' ', nullif(lower(trim(r.color)), ''), nullif(trim(r.make), ''), nullif(trim(r.model), '')) AS vehicle,
                           coalesce(rd.name, 'an unknown reader') AS reader
                    FROM plates.incident_reads l
                    JOIN plates.plate_reads r ON r.id = l.plate_read_id
                    LEFT JOIN plates.readers rd ON rd.id = r.reader_id
                    WHERE l.reported_at IS NULL
                    ORDER BY l.pass_id, l.incident_id, r.plate, r.region, r.captured_at
                ), numbered AS (
                    SELECT v.*, row_number() OVER (PARTITION BY pass_id, incident_id ORDER BY captured_at, plate COLLATE "C") AS n,
                           count(*) OVER (PARTITION BY pass_id, incident_id) AS total
                    FROM vehicles v
                ), texts AS (
                    SELECT pass_id, incident_id, max(total) AS total,
                           string_agg(plate || CASE WHEN vehicle = '' THEN '' ELSE ' (' || vehicle || ')' END || ' at ' || reader || ' '
                                      || to_char(captured_at AT TIME ZONE 'UTC', 'HH24:MI'), ', ' ORDER BY n) FILTER (WHERE n <= 5) AS named
                    FROM numbered GROUP BY pass_id, incident_id
                )
                INSERT INTO plates.outbox_messages (id, type, payload, created_at, next_attempt_at, attempts)
                SELECT p.pass_id, 'SafeCities.Modules.Alerts.Contracts.IncidentReactionReportedEvent',
                       jsonb_build_object('reactionId', p.pass_id, 'incidentId', p.incident_id, 'module', 'Plates', 'kind', 'IncidentReadsCaptured',
                           'at', p.linked_at, 'text', t.total || ' vehicle' || CASE WHEN t.total = 1 THEN '' ELSE 's' END || ' read: ' || t.named
                               || CASE WHEN t.total > 5 THEN ' and ' || (t.total - 5) || ' more' ELSE '' END),
                       p.linked_at, now(), 0
                FROM pending p JOIN texts t USING (pass_id, incident_id)
                ON CONFLICT (id) DO NOTHING
                """);

            migrationBuilder.DropIndex(
                name: "ix_incident_reads_linked_at",
                schema: "plates",
                table: "incident_reads");

            migrationBuilder.DropColumn(
                name: "reported_at",
                schema: "plates",
                table: "incident_reads");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "plates");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "reported_at",
                schema: "plates",
                table: "incident_reads",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_incident_reads_linked_at",
                schema: "plates",
                table: "incident_reads",
                column: "linked_at",
                filter: "reported_at IS NULL");
        }
    }
}
