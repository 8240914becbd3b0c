using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Intelligence.Data.Migrations
{
    /// <summary>
    /// Entity resolution's candidates include similar names that have no date of birth; a trigram index over just those names lets the
    /// candidate query answer that arm from the index (a handful of entries) instead of reading every similar name in the population.
    /// Made with SQL, like its sibling <see cref="BirthYearNameIndex"/> that serves the same-birth-year arm.
    /// </summary>
    internal partial class NamesWithoutBirthDateIndex : Migration
    {
        private const string Index = "ix_person_names_name_no_birth_date";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                CREATE INDEX IF NOT EXISTS {Index} ON intelligence.person_names
                USING gin (name gin_trgm_ops) WHERE date_of_birth IS NULL
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"DROP INDEX IF EXISTS intelligence.{Index}");
        }
    }
}
