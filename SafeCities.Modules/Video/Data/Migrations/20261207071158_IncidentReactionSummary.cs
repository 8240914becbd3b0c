using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Video.Data.Migrations
{
    /// <inheritdoc />
    internal partial class IncidentReactionSummary : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "summary",
                schema: "video",
                table: "incident_reactions",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "summary",
                schema: "video",
                table: "incident_reactions");
        }
    }
}
