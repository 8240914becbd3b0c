using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Intelligence.Data.Migrations
{
    /// <inheritdoc />
    internal partial class HotspotForecasts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "hotspot_forecasts",
                schema: "intelligence",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    crime_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    model = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    window_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    window_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    south = table.Column<double>(type: "double precision", nullable: false),
                    west = table.Column<double>(type: "double precision", nullable: false),
                    north = table.Column<double>(type: "double precision", nullable: false),
                    east = table.Column<double>(type: "double precision", nullable: false),
                    cell_meters = table.Column<double>(type: "double precision", nullable: false),
                    share = table.Column<double>(type: "double precision", nullable: false),
                    active_cells = table.Column<int>(type: "integer", nullable: false),
                    training_events = table.Column<int>(type: "integer", nullable: false),
                    scored_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    events = table.Column<int>(type: "integer", nullable: true),
                    captured = table.Column<int>(type: "integer", nullable: true),
                    best_captured = table.Column<int>(type: "integer", nullable: true),
                    hit_rate = table.Column<double>(type: "double precision", nullable: true),
                    pai = table.Column<double>(type: "double precision", nullable: true),
                    pei = table.Column<double>(type: "double precision", nullable: true),
                    districts = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hotspot_forecasts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "hotspot_cells",
                schema: "intelligence",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    forecast_id = table.Column<Guid>(type: "uuid", nullable: false),
                    rank = table.Column<int>(type: "integer", nullable: false),
                    cell = table.Column<int>(type: "integer", nullable: false),
                    score = table.Column<double>(type: "double precision", nullable: false),
                    background_share = table.Column<double>(type: "double precision", nullable: true),
                    sensor_events = table.Column<int>(type: "integer", nullable: false),
                    reported_events = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hotspot_cells", x => x.id);
                    table.ForeignKey(
                        name: "fk_hotspot_cells_hotspot_forecasts_forecast_id",
                        column: x => x.forecast_id,
                        principalSchema: "intelligence",
                        principalTable: "hotspot_forecasts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_hotspot_cells_forecast_id_rank",
                schema: "intelligence",
                table: "hotspot_cells",
                columns: new[] { "forecast_id", "rank" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_hotspot_forecasts_crime_type_model_window_start",
                schema: "intelligence",
                table: "hotspot_forecasts",
                columns: new[] { "crime_type", "model", "window_start" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_hotspot_forecasts_unscored",
                schema: "intelligence",
                table: "hotspot_forecasts",
                column: "window_end",
                filter: "scored_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "hotspot_cells",
                schema: "intelligence");

            migrationBuilder.DropTable(
                name: "hotspot_forecasts",
                schema: "intelligence");
        }
    }
}
