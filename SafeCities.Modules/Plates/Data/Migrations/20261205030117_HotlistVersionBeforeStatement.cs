using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Plates.Data.Migrations
{
    /// <summary>
    /// The hotlist version is bumped BEFORE each statement that changes a list or an entry, not after (ADR 0057, amended): a transaction
    /// then takes the version row's lock before it locks any row of its first change, so two transactions changing the same entries in
    /// opposite orders wait for each other at their first statement instead of deadlocking (after the statement, the second had already
    /// locked its entries when it queued for the version row). Same function, same one bump a statement, same transaction.
    /// </summary>
    internal partial class HotlistVersionBeforeStatement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => Triggers(migrationBuilder, "BEFORE");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => Triggers(migrationBuilder, "AFTER");

        private static void Triggers(MigrationBuilder migrationBuilder, string when)
        {
            foreach (var table in new[] { "hotlists", "hotlist_entries" })
                migrationBuilder.Sql($"""
                    DROP TRIGGER bump_hotlist_version ON plates.{table};
                    CREATE TRIGGER bump_hotlist_version {when} INSERT OR UPDATE OR DELETE OR TRUNCATE ON plates.{table}
                        FOR EACH STATEMENT EXECUTE FUNCTION plates.bump_hotlist_version();
                    """);
        }
    }
}
