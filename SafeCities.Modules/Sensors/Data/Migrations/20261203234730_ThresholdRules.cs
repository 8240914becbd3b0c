using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Sensors.Data.Migrations
{
    /// <inheritdoc />
    internal partial class ThresholdRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "threshold_rule_states",
                schema: "sensors",
                columns: table => new
                {
                    rule_id = table.Column<Guid>(type: "uuid", nullable: false),
                    device_id = table.Column<Guid>(type: "uuid", nullable: false),
                    state = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    crossing_id = table.Column<Guid>(type: "uuid", nullable: true),
                    last_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_value = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_threshold_rule_states", x => new { x.rule_id, x.device_id });
                });

            migrationBuilder.CreateTable(
                name: "threshold_rules",
                schema: "sensors",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    quantity = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    above = table.Column<bool>(type: "boolean", nullable: false),
                    threshold = table.Column<double>(type: "double precision", nullable: false),
                    clear_level = table.Column<double>(type: "double precision", nullable: false),
                    sustained_seconds = table.Column<int>(type: "integer", nullable: false),
                    severity = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    center_latitude = table.Column<double>(type: "double precision", nullable: true),
                    center_longitude = table.Column<double>(type: "double precision", nullable: true),
                    radius_meters = table.Column<double>(type: "double precision", nullable: true),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_threshold_rules", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_threshold_rules_quantity",
                schema: "sensors",
                table: "threshold_rules",
                column: "quantity");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "threshold_rule_states",
                schema: "sensors");

            migrationBuilder.DropTable(
                name: "threshold_rules",
                schema: "sensors");
        }
    }
}
