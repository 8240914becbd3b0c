using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Plates.Data.Migrations
{
    /// <summary>
    /// plates.hotlist_version: one row whose version every statement that changes a hotlist or an entry bumps, in its own
    /// transaction (statement triggers, so an import of a million entries bumps it once). The matcher cache checks it instead of
    /// rebuilding a million-entry matcher every 30 s (ADR 0057). Not in the model: only SQL reads and writes it.
    /// </summary>
    internal partial class HotlistVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE plates.hotlist_version (id int PRIMARY KEY CHECK (id = 1), version bigint NOT NULL);
                INSERT INTO plates.hotlist_version VALUES (1, 1);
                CREATE FUNCTION plates.bump_hotlist_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO plates.hotlist_version AS v VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = v.version + 1;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER bump_hotlist_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plates.hotlists
                    FOR EACH STATEMENT EXECUTE FUNCTION plates.bump_hotlist_version();
                CREATE TRIGGER bump_hotlist_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plates.hotlist_entries
                    FOR EACH STATEMENT EXECUTE FUNCTION plates.bump_hotlist_version();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER bump_hotlist_version ON plates.hotlist_entries;
                DROP TRIGGER bump_hotlist_version ON plates.hotlists;
                DROP FUNCTION plates.bump_hotlist_version();
                DROP TABLE plates.hotlist_version;
                """);
        }
    }
}
