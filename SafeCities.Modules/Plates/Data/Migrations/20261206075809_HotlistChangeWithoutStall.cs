using Microsoft.EntityFrameworkCore.Migrations;
using SafeCities.Modules.Shared.Persistence;

#nullable disable

namespace SafeCities.Modules.Plates.Data.Migrations
{
    /// <summary>
    /// A change of the hotlists without stalling ingestion (ADR 0062), in two parts:
    /// <list type="bullet">
    /// <item>It waits at its commit for the plate-read batches under way, and batches that start meanwhile wait for the commit: a deferred
    /// constraint trigger on the version row, which every changing statement bumps, takes <see cref="AdvisoryLocks.PlatesHotlistChange"/>
    /// exclusively when the transaction commits; ingestion holds it shared. So a batch commits wholly before the change — and the change's
    /// look-back, after its commit, finds the batch's reads — or reads the lists' version after the change and has its reads caught up by
    /// the new matcher. Taken at the commit, not at the first change: the COPY of an import's 200,000 entries (seconds) does not hold
    /// ingestion up, only its commit does (milliseconds).</item>
    /// <item><c>hotlist_entries.added_version</c>: the lists' version of the change that listed an entry as it is (by default the version
    /// its transaction bumped to, which the statement trigger did before the row was written). A node then builds only the entries added
    /// since its matcher's base instead of the million again.</item>
    /// </list>
    /// </summary>
    internal partial class HotlistChangeWithoutStall : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                CREATE FUNCTION plates.hotlist_change_waits_for_ingestion() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock({AdvisoryLocks.PlatesHotlistChange});
                    RETURN NULL;
                END $$;
                CREATE CONSTRAINT TRIGGER hotlist_change_waits_for_ingestion AFTER INSERT OR UPDATE ON plates.hotlist_version
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION plates.hotlist_change_waits_for_ingestion();
                """);
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

            migrationBuilder.Sql("""
                DROP FUNCTION plates.hotlist_version_now();
                DROP TRIGGER hotlist_change_waits_for_ingestion ON plates.hotlist_version;
                DROP FUNCTION plates.hotlist_change_waits_for_ingestion();
                """);
        }
    }
}
