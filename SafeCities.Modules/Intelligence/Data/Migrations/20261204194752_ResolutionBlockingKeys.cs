using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Intelligence.Data.Migrations
{
    /// <inheritdoc />
    internal partial class ResolutionBlockingKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_person_names_date_of_birth_first_name",
                schema: "intelligence",
                table: "person_names",
                columns: new[] { "date_of_birth", "first_name" });

            migrationBuilder.CreateIndex(
                name: "ix_person_names_date_of_birth_last_name",
                schema: "intelligence",
                table: "person_names",
                columns: new[] { "date_of_birth", "last_name" });

            migrationBuilder.CreateIndex(
                name: "ix_person_names_first_name_last_name",
                schema: "intelligence",
                table: "person_names",
                columns: new[] { "first_name", "last_name" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_person_names_date_of_birth_first_name",
                schema: "intelligence",
                table: "person_names");

            migrationBuilder.DropIndex(
                name: "ix_person_names_date_of_birth_last_name",
                schema: "intelligence",
                table: "person_names");

            migrationBuilder.DropIndex(
                name: "ix_person_names_first_name_last_name",
                schema: "intelligence",
                table: "person_names");
        }
    }
}
