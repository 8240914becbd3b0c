using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Video.Data.Migrations
{
    /// <inheritdoc />
    internal partial class Outbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "video",
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
                schema: "video",
                table: "outbox_messages",
                column: "next_attempt_at",
                filter: "dispatched_at IS NULL AND failed_at IS NULL");

            // Reports not yet published move to the outbox as the one reaction report (the sweep delivers them; Alerts records each once).
            migrationBuilder.Sql("""
                INSERT INTO video.outbox_messages (id, type, payload, created_at, next_attempt_at, attempts)
                SELECT id, 'SafeCities.Modules.Alerts.Contracts.IncidentReactionReportedEvent',
                       jsonb_build_object('reactionId', id, 'incidentId', incident_id, 'module', 'Video', 'kind', kind, 'at', at, 'text', text),
                       at, now(), 0
                FROM video.reaction_reports
                WHERE published_at IS NULL
                """);

            migrationBuilder.DropTable(
                name: "reaction_reports",
                schema: "video");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "video");

            migrationBuilder.CreateTable(
                name: "reaction_reports",
                schema: "video",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    bookmarked = table.Column<int>(type: "integer", nullable: false),
                    camera_ids = table.Column<Guid[]>(type: "uuid[]", nullable: false),
                    fixed_covering = table.Column<int>(type: "integer", nullable: false),
                    incident_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    nearest_meters = table.Column<double>(type: "double precision", nullable: true),
                    ptz_turned = table.Column<int>(type: "integer", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    text = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reaction_reports", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_reaction_reports_incident_id",
                schema: "video",
                table: "reaction_reports",
                column: "incident_id");
        }
    }
}
