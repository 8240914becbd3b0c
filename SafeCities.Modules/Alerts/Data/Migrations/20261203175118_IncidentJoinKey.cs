using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Alerts.Data.Migrations
{
    /// <inheritdoc />
    internal partial class IncidentJoinKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "join_key",
                schema: "alerts",
                table: "incidents",
                type: "character varying(120)",
                maxLength: 120,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_incidents_join_key",
                schema: "alerts",
                table: "incidents",
                column: "join_key",
                filter: "join_key IS NOT NULL AND status <> 'closed'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_incidents_join_key",
                schema: "alerts",
                table: "incidents");

            migrationBuilder.DropColumn(
                name: "join_key",
                schema: "alerts",
                table: "incidents");
        }
    }
}
