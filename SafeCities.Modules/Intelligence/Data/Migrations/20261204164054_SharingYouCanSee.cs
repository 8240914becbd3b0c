using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SafeCities.Modules.Intelligence.Data.Migrations
{
    /// <inheritdoc />
    internal partial class SharingYouCanSee : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "functions",
                schema: "intelligence",
                table: "agencies",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'");   // existing agencies: no functions

            migrationBuilder.AddColumn<bool>(
                name: "part_of_city",
                schema: "intelligence",
                table: "agencies",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "sector",
                schema: "intelligence",
                table: "agencies",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "public");

            migrationBuilder.AddColumn<string>(
                name: "state",
                schema: "intelligence",
                table: "agencies",
                type: "character varying(2)",
                maxLength: 2,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "agency_reads",
                schema: "intelligence",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    agency_id = table.Column<Guid>(type: "uuid", nullable: false),
                    data_class = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    items = table.Column<int>(type: "integer", nullable: false),
                    action = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    actor = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agency_reads", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sharing_rules",
                schema: "intelligence",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: false),
                    data_class = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    allowed_sectors = table.Column<List<string>>(type: "text[]", nullable: false),
                    allowed_states = table.Column<List<string>>(type: "text[]", nullable: false),
                    denied_functions = table.Column<List<string>>(type: "text[]", nullable: false),
                    citation = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sharing_rules", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_agency_reads_at",
                schema: "intelligence",
                table: "agency_reads",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_sharing_rules_name",
                schema: "intelligence",
                table: "sharing_rules",
                column: "name",
                unique: true);

            // California's SB 34 (Civil Code 1798.90.55(b)) as an example an administrator can enable, edit or delete: disabled, since it is law
            // only in California (ADR 0041).
            migrationBuilder.Sql("""
                INSERT INTO intelligence.sharing_rules (id, name, data_class, allowed_sectors, allowed_states, denied_functions, citation, enabled, updated_at, updated_by)
                VALUES ('0193a6f0-0000-7000-8000-000000000034', 'California SB 34', 'plates', '{public}', '{CA}', '{}',
                  'California Civil Code 1798.90.55(b) (SB 34, 2015): a public agency shall not sell, share or transfer ALPR information except to another public agency. The California State Auditor (report 2019-118, 2020) reads "public agency" as a California public agency, so plate data may not go out of state or to federal agencies. Enable it where it is law.',
                  false, now(), 'migration')
                ON CONFLICT (name) DO NOTHING
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agency_reads",
                schema: "intelligence");

            migrationBuilder.DropTable(
                name: "sharing_rules",
                schema: "intelligence");

            migrationBuilder.DropColumn(
                name: "functions",
                schema: "intelligence",
                table: "agencies");

            migrationBuilder.DropColumn(
                name: "part_of_city",
                schema: "intelligence",
                table: "agencies");

            migrationBuilder.DropColumn(
                name: "sector",
                schema: "intelligence",
                table: "agencies");

            migrationBuilder.DropColumn(
                name: "state",
                schema: "intelligence",
                table: "agencies");
        }
    }
}
