using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Intelligence.Data.Migrations
{
    /// <inheritdoc />
    internal partial class Outbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "intelligence",
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
                schema: "intelligence",
                table: "outbox_messages",
                column: "next_attempt_at",
                filter: "dispatched_at IS NULL AND failed_at IS NULL");

            // Notices stored but never dispatched move to the outbox as the message the release would have sent (person, booking and
            // supervision as they are now, as the removed re-dispatch sweep rebuilt it).
            migrationBuilder.Sql("""
                INSERT INTO intelligence.outbox_messages (id, type, payload, created_at, next_attempt_at, attempts)
                SELECT n.id, 'SafeCities.Modules.Intelligence.Contracts.ReoffenderReleasedEvent',
                       jsonb_build_object('notificationId', n.id, 'personId', p.id, 'name', p.display_name, 'dateOfBirth', p.date_of_birth,
                           'releasedAt', n.released_at, 'facility', coalesce(b.details::jsonb ->> 'facility', ''), 'agency', a.name,
                           'lastKnownAddress', p.address, 'district', p.district,
                           'supervisingOfficer', (SELECT s.supervising_officer FROM intelligence.records s
                                                  WHERE s.person_id = p.id AND s.kind = 'supervision' AND (s.ended_at IS NULL OR s.ended_at > now())
                                                  ORDER BY s.started_at DESC LIMIT 1),
                           'reasons', to_jsonb(n.reasons),
                           'plates', coalesce((SELECT jsonb_agg(v.plate) FROM intelligence.vehicles v WHERE v.owner_person_id = p.id), '[]'::jsonb)),
                       n.created_at, now(), 0
                FROM intelligence.release_notifications n
                JOIN intelligence.records b ON b.id = n.booking_id
                JOIN intelligence.agencies a ON a.id = b.agency_id
                JOIN intelligence.persons p ON p.id = n.person_id
                WHERE n.dispatched_at IS NULL
                """);

            migrationBuilder.DropIndex(
                name: "ix_release_notifications_created_at_pending",
                schema: "intelligence",
                table: "release_notifications");

            migrationBuilder.DropColumn(
                name: "dispatched_at",
                schema: "intelligence",
                table: "release_notifications");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "intelligence");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "dispatched_at",
                schema: "intelligence",
                table: "release_notifications",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_release_notifications_created_at_pending",
                schema: "intelligence",
                table: "release_notifications",
                column: "created_at",
                filter: "dispatched_at IS NULL");
        }
    }
}
