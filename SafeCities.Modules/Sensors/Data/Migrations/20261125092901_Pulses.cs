using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Sensors.Data.Migrations
{
    /// <inheritdoc />
    internal partial class Pulses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "pulses",
                schema: "sensors",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    device_id = table.Column<Guid>(type: "uuid", nullable: false),
                    pulse_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    arrival_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    snr_db = table.Column<double>(type: "double precision", nullable: true),
                    power_db_spl = table.Column<double>(type: "double precision", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    detection_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pulses", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_pulses_arrival_time",
                schema: "sensors",
                table: "pulses",
                column: "arrival_time",
                filter: "detection_id IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_pulses_detection_id",
                schema: "sensors",
                table: "pulses",
                column: "detection_id");

            migrationBuilder.CreateIndex(
                name: "ix_pulses_device_id_pulse_id",
                schema: "sensors",
                table: "pulses",
                columns: new[] { "device_id", "pulse_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "pulses",
                schema: "sensors");
        }
    }
}
