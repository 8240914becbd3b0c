using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Sensors.Data.Migrations
{
    /// <inheritdoc />
    internal partial class ThresholdRuleChangeWindow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "change_window_seconds",
                schema: "sensors",
                table: "threshold_rules",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "change_window_seconds",
                schema: "sensors",
                table: "threshold_rules");
        }
    }
}
