using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Plates.Data.Migrations
{
    /// <inheritdoc />
    internal partial class ReaderFaults : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "fault",
                schema: "plates",
                table: "readers",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "fault_since",
                schema: "plates",
                table: "readers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "status_at",
                schema: "plates",
                table: "readers",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "fault",
                schema: "plates",
                table: "readers");

            migrationBuilder.DropColumn(
                name: "fault_since",
                schema: "plates",
                table: "readers");

            migrationBuilder.DropColumn(
                name: "status_at",
                schema: "plates",
                table: "readers");
        }
    }
}
