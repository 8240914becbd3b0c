using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Plates.Data.Migrations
{
    /// <inheritdoc />
    internal partial class PlateReadsAndIncidentReactions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "incident_reactions",
                schema: "plates",
                columns: table => new
                {
                    incident_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    latitude = table.Column<double>(type: "double precision", nullable: false),
                    longitude = table.Column<double>(type: "double precision", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    radius_meters = table.Column<int>(type: "integer", nullable: false),
                    window_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    window_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    readers_armed = table.Column<int>(type: "integer", nullable: false),
                    armed_reaction_id = table.Column<Guid>(type: "uuid", nullable: false),
                    reacted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_incident_reactions", x => x.incident_id);
                });

            migrationBuilder.CreateTable(
                name: "incident_reads",
                schema: "plates",
                columns: table => new
                {
                    incident_id = table.Column<Guid>(type: "uuid", nullable: false),
                    plate_read_id = table.Column<Guid>(type: "uuid", nullable: false),
                    pass_id = table.Column<Guid>(type: "uuid", nullable: false),
                    linked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_incident_reads", x => new { x.incident_id, x.plate_read_id });
                });

            migrationBuilder.CreateTable(
                name: "plate_reads",
                schema: "plates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    reader_id = table.Column<Guid>(type: "uuid", nullable: false),
                    read_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    plate = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    region = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    captured_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    confidence = table.Column<double>(type: "double precision", nullable: false),
                    make = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    model = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    color = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    image_ref = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    latitude = table.Column<double>(type: "double precision", nullable: false),
                    longitude = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plate_reads", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "reaction_settings",
                schema: "plates",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    trigger_kinds = table.Column<string[]>(type: "text[]", nullable: false),
                    radius_meters = table.Column<int>(type: "integer", nullable: false),
                    window_before_minutes = table.Column<int>(type: "integer", nullable: false),
                    window_after_minutes = table.Column<int>(type: "integer", nullable: false),
                    max_batch_size = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reaction_settings", x => x.id);
                    table.CheckConstraint("ck_reaction_settings_single_row", "id = 1");
                });

            migrationBuilder.CreateTable(
                name: "reader_armings",
                schema: "plates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    incident_id = table.Column<Guid>(type: "uuid", nullable: false),
                    reader_id = table.Column<Guid>(type: "uuid", nullable: false),
                    window_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    window_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    armed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reader_armings", x => x.id);
                });

            migrationBuilder.InsertData(
                schema: "plates",
                table: "reaction_settings",
                columns: new[] { "id", "max_batch_size", "radius_meters", "trigger_kinds", "updated_at", "updated_by", "window_after_minutes", "window_before_minutes" },
                values: new object[] { 1, 1000, 500, new[] { "gunshot" }, null, null, 30, 10 });

            migrationBuilder.CreateIndex(
                name: "ix_incident_reads_linked_at",
                schema: "plates",
                table: "incident_reads",
                column: "linked_at",
                filter: "reported_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_incident_reads_pass_id",
                schema: "plates",
                table: "incident_reads",
                column: "pass_id");

            migrationBuilder.CreateIndex(
                name: "ix_incident_reads_plate_read_id",
                schema: "plates",
                table: "incident_reads",
                column: "plate_read_id");

            migrationBuilder.CreateIndex(
                name: "ix_plate_reads_captured_at",
                schema: "plates",
                table: "plate_reads",
                column: "captured_at");

            migrationBuilder.CreateIndex(
                name: "ix_plate_reads_reader_id_captured_at",
                schema: "plates",
                table: "plate_reads",
                columns: new[] { "reader_id", "captured_at" });

            migrationBuilder.CreateIndex(
                name: "ix_plate_reads_reader_id_read_id",
                schema: "plates",
                table: "plate_reads",
                columns: new[] { "reader_id", "read_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_reader_armings_incident_id_reader_id",
                schema: "plates",
                table: "reader_armings",
                columns: new[] { "incident_id", "reader_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_reader_armings_reader_id_window_end",
                schema: "plates",
                table: "reader_armings",
                columns: new[] { "reader_id", "window_end" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "incident_reactions",
                schema: "plates");

            migrationBuilder.DropTable(
                name: "incident_reads",
                schema: "plates");

            migrationBuilder.DropTable(
                name: "plate_reads",
                schema: "plates");

            migrationBuilder.DropTable(
                name: "reaction_settings",
                schema: "plates");

            migrationBuilder.DropTable(
                name: "reader_armings",
                schema: "plates");
        }
    }
}
