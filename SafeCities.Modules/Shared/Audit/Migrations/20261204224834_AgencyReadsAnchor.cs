using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Shared.Audit.Migrations
{
    /// <inheritdoc />
    internal partial class AgencyReadsAnchor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "agency_reads_sha256",
                schema: "audit",
                table: "anchors",
                type: "character(64)",
                fixedLength: true,
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "agency_reads_signature",
                schema: "audit",
                table: "anchors",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "agency_reads_sha256",
                schema: "audit",
                table: "anchors");

            migrationBuilder.DropColumn(
                name: "agency_reads_signature",
                schema: "audit",
                table: "anchors");
        }
    }
}
