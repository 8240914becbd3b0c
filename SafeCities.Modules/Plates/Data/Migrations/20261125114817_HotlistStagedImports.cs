using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Plates.Data.Migrations
{
    /// <inheritdoc />
    internal partial class HotlistStagedImports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "hotlist_imports",
                schema: "plates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    hotlist_id = table.Column<Guid>(type: "uuid", nullable: false),
                    started_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    committed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hotlist_imports", x => x.id);
                    table.ForeignKey(
                        name: "fk_hotlist_imports_hotlists_hotlist_id",
                        column: x => x.hotlist_id,
                        principalSchema: "plates",
                        principalTable: "hotlists",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "hotlist_import_lines",
                schema: "plates",
                columns: table => new
                {
                    import_id = table.Column<Guid>(type: "uuid", nullable: false),
                    line = table.Column<int>(type: "integer", nullable: false),
                    plate = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    region = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    reason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    reference = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    description = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    rejection = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hotlist_import_lines", x => new { x.import_id, x.line });
                    table.ForeignKey(
                        name: "fk_hotlist_import_lines_hotlist_imports_import_id",
                        column: x => x.import_id,
                        principalSchema: "plates",
                        principalTable: "hotlist_imports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_hotlist_import_lines_import_id_plate",
                schema: "plates",
                table: "hotlist_import_lines",
                columns: new[] { "import_id", "plate" });

            migrationBuilder.CreateIndex(
                name: "ix_hotlist_imports_hotlist_id",
                schema: "plates",
                table: "hotlist_imports",
                column: "hotlist_id");

            migrationBuilder.CreateIndex(
                name: "ix_hotlist_imports_started_at",
                schema: "plates",
                table: "hotlist_imports",
                column: "started_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "hotlist_import_lines",
                schema: "plates");

            migrationBuilder.DropTable(
                name: "hotlist_imports",
                schema: "plates");
        }
    }
}
