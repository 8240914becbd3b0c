using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;

#nullable disable

namespace SafeCities.Modules.Alerts.Data.Migrations
{
    /// <inheritdoc />
    internal partial class OfficerPositions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "officer_positions",
                schema: "alerts",
                columns: table => new
                {
                    user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    latitude = table.Column<double>(type: "double precision", nullable: false),
                    longitude = table.Column<double>(type: "double precision", nullable: false),
                    location = table.Column<Point>(type: "geography (point, 4326)", nullable: false),
                    accuracy_meters = table.Column<double>(type: "double precision", nullable: true),
                    reported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_officer_positions", x => x.user_name);
                });

            migrationBuilder.CreateIndex(
                name: "ix_officer_positions_location",
                schema: "alerts",
                table: "officer_positions",
                column: "location")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_officer_positions_reported_at",
                schema: "alerts",
                table: "officer_positions",
                column: "reported_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "officer_positions",
                schema: "alerts");
        }
    }
}
