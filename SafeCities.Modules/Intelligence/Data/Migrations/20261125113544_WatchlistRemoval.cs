using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Intelligence.Data.Migrations
{
    /// <inheritdoc />
    internal partial class WatchlistRemoval : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "removed_at",
                schema: "intelligence",
                table: "watchlist",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "removed_by",
                schema: "intelligence",
                table: "watchlist",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "removed_at",
                schema: "intelligence",
                table: "watchlist");

            migrationBuilder.DropColumn(
                name: "removed_by",
                schema: "intelligence",
                table: "watchlist");
        }
    }
}
