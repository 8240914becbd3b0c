using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Alerts.Data.Migrations
{
    /// <inheritdoc />
    internal partial class IncidentOutcomesAndNotes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "outcome",
                schema: "alerts",
                table: "incidents",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "outcome_notes",
                schema: "alerts",
                table: "incidents",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "incident_notes",
                schema: "alerts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    incident_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_incident_notes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "incident_status_changes",
                schema: "alerts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    incident_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    from_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    to_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    outcome = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_incident_status_changes", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_incidents_opened_at",
                schema: "alerts",
                table: "incidents",
                column: "opened_at");

            migrationBuilder.CreateIndex(
                name: "ix_incident_notes_incident_id_at",
                schema: "alerts",
                table: "incident_notes",
                columns: new[] { "incident_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_incident_status_changes_incident_id_at",
                schema: "alerts",
                table: "incident_status_changes",
                columns: new[] { "incident_id", "at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "incident_notes",
                schema: "alerts");

            migrationBuilder.DropTable(
                name: "incident_status_changes",
                schema: "alerts");

            migrationBuilder.DropIndex(
                name: "ix_incidents_opened_at",
                schema: "alerts",
                table: "incidents");

            migrationBuilder.DropColumn(
                name: "outcome",
                schema: "alerts",
                table: "incidents");

            migrationBuilder.DropColumn(
                name: "outcome_notes",
                schema: "alerts",
                table: "incidents");
        }
    }
}
