using Microsoft.EntityFrameworkCore.Migrations;
using SafeCities.Modules.Shared.Persistence;

#nullable disable

namespace SafeCities.Modules.Plates.Data.Migrations
{
    /// <summary>
    /// A change of the hotlists waits at its commit for the plate-read batches under way, and batches that start meanwhile wait for the
    /// commit (ADR 0062): a deferred constraint trigger on the version row, which every changing statement bumps, takes
    /// <see cref="AdvisoryLocks.PlatesHotlistChange"/> exclusively when the transaction commits; ingestion holds it shared. So a batch
    /// commits wholly before the change — and the change's look-back, after its commit, finds the batch's reads — or reads the lists'
    /// version after the change and has its reads caught up by the new matcher. Taken at the commit, not at the first change: the COPY of an
    /// import's 200,000 entries (seconds) does not hold ingestion up, only its commit does (milliseconds).
    /// </summary>
    internal partial class HotlistChangeWaitsForIngestion : Migration
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER hotlist_change_waits_for_ingestion ON plates.hotlist_version;
                DROP FUNCTION plates.hotlist_change_waits_for_ingestion();
                """);
        }
    }
}
