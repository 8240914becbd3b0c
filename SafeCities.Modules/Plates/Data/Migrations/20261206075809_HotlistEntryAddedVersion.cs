using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Plates.Data.Migrations
{
    /// <summary>
    /// <c>hotlist_entries.added_version</c>: the lists' version of the change that listed an entry as it is (by default the version its
    /// transaction bumped to, which the statement trigger did before the row was written). A node then builds only the entries added
    /// since its matcher's base instead of the million again (ADR 0062).
    /// </summary>
    internal partial class HotlistEntryAddedVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // VOLATILE, not STABLE: a stable function reads with its statement's snapshot, taken before the statement's own trigger bumped
            // the version, and gave a new entry the version before its change — one a node's matcher already counted as built.
            migrationBuilder.Sql("""
                CREATE FUNCTION plates.hotlist_version_now() RETURNS bigint LANGUAGE sql VOLATILE
                    RETURN coalesce((SELECT version FROM plates.hotlist_version WHERE id = 1), 0);
                """);
            migrationBuilder.AddColumn<long>(
                name: "added_version",
                schema: "plates",
                table: "hotlist_entries",
                type: "bigint",
                nullable: false,
                defaultValueSql: "plates.hotlist_version_now()");

            migrationBuilder.CreateIndex(
                name: "ix_hotlist_entries_added_version",
                schema: "plates",
                table: "hotlist_entries",
                column: "added_version");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_hotlist_entries_added_version",
                schema: "plates",
                table: "hotlist_entries");

            migrationBuilder.DropColumn(
                name: "added_version",
                schema: "plates",
                table: "hotlist_entries");

            migrationBuilder.Sql("DROP FUNCTION plates.hotlist_version_now();");
        }
    }
}
