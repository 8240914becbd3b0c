using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Alerts.Data.Migrations
{
    /// <inheritdoc />
    internal partial class ReactionDispatch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "reactions_dispatched_at",
                schema: "alerts",
                table: "incidents",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "uncertainty_meters",
                schema: "alerts",
                table: "detections",
                type: "double precision",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "reactions_dispatched_at",
                schema: "alerts",
                table: "incidents");

            migrationBuilder.DropColumn(
                name: "uncertainty_meters",
                schema: "alerts",
                table: "detections");
        }
    }
}
