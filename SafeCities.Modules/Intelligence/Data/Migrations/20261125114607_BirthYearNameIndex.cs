using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Intelligence.Data.Migrations
{
    /// <summary>
    /// Name search with a year of birth only: one GIN index over (birth year, name trigrams) — btree_gin gives the year its key — so
    /// that the trigram scan returns that year's similar names, not every similar name (the year's rows are then a few dozen heap
    /// pages instead of thousands). Made with SQL: EF cannot model an expression column in an index.
    /// </summary>
    internal partial class BirthYearNameIndex : Migration
    {
        private const string Index = "ix_person_names_birth_year_name";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:btree_gin", ",,")
                .Annotation("Npgsql:PostgresExtension:fuzzystrmatch", ",,")
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .Annotation("Npgsql:PostgresExtension:postgis", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:fuzzystrmatch", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:postgis", ",,");
            migrationBuilder.Sql($"""
                CREATE INDEX IF NOT EXISTS {Index} ON intelligence.person_names
                USING gin ((date_part('year', date_of_birth)::int), name gin_trgm_ops)
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"DROP INDEX IF EXISTS intelligence.{Index}");
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:fuzzystrmatch", ",,")
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .Annotation("Npgsql:PostgresExtension:postgis", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:btree_gin", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:fuzzystrmatch", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:postgis", ",,");
        }
    }
}
