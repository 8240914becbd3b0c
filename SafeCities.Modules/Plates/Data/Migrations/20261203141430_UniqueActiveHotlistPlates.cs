using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Plates.Data.Migrations
{
    /// <summary>
    /// A plate is active at most once per list and region: repeats already stored (which made every later import of their list fail) are
    /// withdrawn first, the earliest entry kept (hits keep pointing at the withdrawn ones: they are evidence), then a unique index holds it.
    /// </summary>
    internal partial class UniqueActiveHotlistPlates : Migration
    {
        internal const string WithdrawRepeats = """
            UPDATE plates.hotlist_entries e SET withdrawn_at = now()
            WHERE e.withdrawn_at IS NULL AND e.hotlist_id <> '6a1b7c3e-2f4d-4e8a-9c5b-0d1e2f3a4b5c'
              AND EXISTS (SELECT 1 FROM plates.hotlist_entries f
                          WHERE f.hotlist_id = e.hotlist_id AND f.withdrawn_at IS NULL AND f.plate = e.plate
                            AND f.region IS NOT DISTINCT FROM e.region AND (f.added_at, f.id) < (e.added_at, e.id))
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(WithdrawRepeats);
            migrationBuilder.CreateIndex(
                name: "ix_hotlist_entries_hotlist_id_plate_region",
                schema: "plates",
                table: "hotlist_entries",
                columns: new[] { "hotlist_id", "plate", "region" },
                unique: true,
                filter: "withdrawn_at IS NULL AND hotlist_id <> '6a1b7c3e-2f4d-4e8a-9c5b-0d1e2f3a4b5c'")
                .Annotation("Npgsql:NullsDistinct", false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_hotlist_entries_hotlist_id_plate_region",
                schema: "plates",
                table: "hotlist_entries");
        }
    }
}
