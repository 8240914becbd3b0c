using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace SafeCities.Modules.Intelligence.Data.Migrations
{
    /// <inheritdoc />
    internal partial class IncidentAccessRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.InsertData(
                schema: "intelligence",
                table: "access_rules",
                columns: new[] { "id", "access", "agency_id", "include_sealed", "record_kind", "role", "scope" },
                values: new object[,]
                {
                    { new Guid("5081064a-a434-ad92-8413-afb50b1ccd1a"), "full", null, false, "incident", "Analyst", "shared" },
                    { new Guid("a529a4b4-cf73-168d-67d3-cdc297e97774"), "full", null, false, "incident", "Officer", "all" },
                    { new Guid("d1a0fe4b-2dc5-dcbd-8b74-bd244230a461"), "full", null, false, "incident", "Administrator", "all" },
                    { new Guid("ebf428c1-07e2-a156-78b7-60b1ea6e0da4"), "full", null, false, "incident", "Commander", "all" },
                    { new Guid("fdae4be0-8938-3c10-149a-2fb17bb87a63"), "summary", null, false, "incident", "ProbationOfficer", "supervisees" }
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DeleteData(
                schema: "intelligence",
                table: "access_rules",
                keyColumn: "id",
                keyValue: new Guid("5081064a-a434-ad92-8413-afb50b1ccd1a"));

            migrationBuilder.DeleteData(
                schema: "intelligence",
                table: "access_rules",
                keyColumn: "id",
                keyValue: new Guid("a529a4b4-cf73-168d-67d3-cdc297e97774"));

            migrationBuilder.DeleteData(
                schema: "intelligence",
                table: "access_rules",
                keyColumn: "id",
                keyValue: new Guid("d1a0fe4b-2dc5-dcbd-8b74-bd244230a461"));

            migrationBuilder.DeleteData(
                schema: "intelligence",
                table: "access_rules",
                keyColumn: "id",
                keyValue: new Guid("ebf428c1-07e2-a156-78b7-60b1ea6e0da4"));

            migrationBuilder.DeleteData(
                schema: "intelligence",
                table: "access_rules",
                keyColumn: "id",
                keyValue: new Guid("fdae4be0-8938-3c10-149a-2fb17bb87a63"));
        }
    }
}
