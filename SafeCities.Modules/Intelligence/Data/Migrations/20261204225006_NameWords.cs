using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Intelligence.Data.Migrations
{
    /// <summary>
    /// Name search by words (ADR 0058): the dictionary of name words (<c>name_words</c>: every distinct first and last name of
    /// <c>person_names</c>, with its double-metaphone key and a trigram index) that a query's words are looked up in, kept up to date by a
    /// statement trigger on <c>person_names</c> (so entity resolution's and the back-load's COPY writes, and every other insert, fill it
    /// without code of their own); and the two B-tree indexes of (first, last) and (last, first) name that carry what the search reads.
    /// Made with SQL: EF does not model triggers, and the table is read only by raw SQL.
    /// </summary>
    internal partial class NameWords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_person_names_first_name_last_name",
                schema: "intelligence",
                table: "person_names");

            migrationBuilder.CreateIndex(
                name: "ix_person_names_first_name_last_name",
                schema: "intelligence",
                table: "person_names",
                columns: new[] { "first_name", "last_name" })
                .Annotation("Npgsql:IndexInclude", new[] { "person_id", "agency_id", "date_of_birth", "is_alias" });

            migrationBuilder.CreateIndex(
                name: "ix_person_names_last_name_first_name",
                schema: "intelligence",
                table: "person_names",
                columns: new[] { "last_name", "first_name" })
                .Annotation("Npgsql:IndexInclude", new[] { "person_id", "agency_id", "date_of_birth", "is_alias" });

            migrationBuilder.Sql("""
                CREATE TABLE IF NOT EXISTS intelligence.name_words (
                    word varchar(80) PRIMARY KEY,
                    phonetic varchar(40) GENERATED ALWAYS AS (dmetaphone(word)) STORED);
                -- fastupdate off: new words go straight into the index, not into a pending list that every search would scan
                -- (and whose size makes the planner choose a sequential scan of the dictionary) until the next vacuum
                CREATE INDEX IF NOT EXISTS ix_name_words_word_trgm ON intelligence.name_words USING gin (word gin_trgm_ops) WITH (fastupdate = off);
                CREATE INDEX IF NOT EXISTS ix_name_words_phonetic ON intelligence.name_words (phonetic);

                -- Words are only added: a word whose last name row is gone matches no row, and costs one dictionary entry.
                -- Sorted, so that two transactions adding the same new words take them in the same order (no deadlock).
                CREATE OR REPLACE FUNCTION intelligence.add_name_words() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO intelligence.name_words (word)
                    SELECT w FROM (SELECT first_name AS w FROM new_names UNION SELECT last_name FROM new_names) x
                     WHERE w <> '' ORDER BY w
                    ON CONFLICT (word) DO NOTHING;
                    RETURN NULL;
                END $$;
                DROP TRIGGER IF EXISTS tr_person_names_words ON intelligence.person_names;
                CREATE TRIGGER tr_person_names_words AFTER INSERT ON intelligence.person_names
                    REFERENCING NEW TABLE AS new_names FOR EACH STATEMENT EXECUTE FUNCTION intelligence.add_name_words();

                INSERT INTO intelligence.name_words (word)
                SELECT w FROM (SELECT first_name AS w FROM intelligence.person_names UNION SELECT last_name FROM intelligence.person_names) x
                 WHERE w <> '' ORDER BY w
                ON CONFLICT (word) DO NOTHING;
                ANALYZE intelligence.name_words;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS tr_person_names_words ON intelligence.person_names;
                DROP FUNCTION IF EXISTS intelligence.add_name_words();
                DROP TABLE IF EXISTS intelligence.name_words;
                """);

            migrationBuilder.DropIndex(
                name: "ix_person_names_first_name_last_name",
                schema: "intelligence",
                table: "person_names");

            migrationBuilder.DropIndex(
                name: "ix_person_names_last_name_first_name",
                schema: "intelligence",
                table: "person_names");

            migrationBuilder.CreateIndex(
                name: "ix_person_names_first_name_last_name",
                schema: "intelligence",
                table: "person_names",
                columns: new[] { "first_name", "last_name" });
        }
    }
}
