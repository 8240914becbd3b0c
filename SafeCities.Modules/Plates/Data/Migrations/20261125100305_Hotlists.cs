using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Plates.Data.Migrations
{
    /// <inheritdoc />
    internal partial class Hotlists : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "hotlist_hits",
                schema: "plates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    hotlist_id = table.Column<Guid>(type: "uuid", nullable: false),
                    entry_id = table.Column<Guid>(type: "uuid", nullable: false),
                    plate_read_id = table.Column<Guid>(type: "uuid", nullable: false),
                    reader_id = table.Column<Guid>(type: "uuid", nullable: false),
                    read_plate = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    entry_plate = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    region = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    match_kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    captured_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    latitude = table.Column<double>(type: "double precision", nullable: false),
                    longitude = table.Column<double>(type: "double precision", nullable: false),
                    detected_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    retroactive = table.Column<bool>(type: "boolean", nullable: false),
                    released_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    released_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hotlist_hits", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "hotlists",
                schema: "plates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    alert_level = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    reason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    owner = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    visibility = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    imported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hotlists", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "hotlist_entries",
                schema: "plates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    hotlist_id = table.Column<Guid>(type: "uuid", nullable: false),
                    plate = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    region = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    reason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    reference = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    description = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    withdrawn_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hotlist_entries", x => x.id);
                    table.ForeignKey(
                        name: "fk_hotlist_entries_hotlists_hotlist_id",
                        column: x => x.hotlist_id,
                        principalSchema: "plates",
                        principalTable: "hotlists",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                schema: "plates",
                table: "hotlists",
                columns: new[] { "id", "alert_level", "created_at", "created_by", "expires_at", "imported_at", "kind", "name", "owner", "reason", "visibility" },
                values: new object[] { new Guid("6a1b7c3e-2f4d-4e8a-9c5b-0d1e2f3a4b5c"), "high", new DateTimeOffset(new DateTime(2026, 11, 25, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), "system", null, null, "intelligence", "Intelligence requests", "Intelligence", "Requested by Intelligence (active warrant or released reoffender)", "all-staff" });

            migrationBuilder.CreateIndex(
                name: "ix_hotlist_entries_hotlist_id_reference",
                schema: "plates",
                table: "hotlist_entries",
                columns: new[] { "hotlist_id", "reference" });

            migrationBuilder.CreateIndex(
                name: "ix_hotlist_entries_plate",
                schema: "plates",
                table: "hotlist_entries",
                column: "plate");

            migrationBuilder.CreateIndex(
                name: "ix_hotlist_hits_detected_at",
                schema: "plates",
                table: "hotlist_hits",
                column: "detected_at");

            migrationBuilder.CreateIndex(
                name: "ix_hotlist_hits_entry_id_plate_read_id",
                schema: "plates",
                table: "hotlist_hits",
                columns: new[] { "entry_id", "plate_read_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_hotlist_hits_read_plate",
                schema: "plates",
                table: "hotlist_hits",
                column: "read_plate");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "hotlist_entries",
                schema: "plates");

            migrationBuilder.DropTable(
                name: "hotlist_hits",
                schema: "plates");

            migrationBuilder.DropTable(
                name: "hotlists",
                schema: "plates");
        }
    }
}
