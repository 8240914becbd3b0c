using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Plates.Data.Migrations
{
    /// <inheritdoc />
    internal partial class HitAdjudication : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "decided_at",
                schema: "plates",
                table: "hotlist_hits",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "decided_by",
                schema: "plates",
                table: "hotlist_hits",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "decision",
                schema: "plates",
                table: "hotlist_hits",
                type: "character varying(12)",
                maxLength: 12,
                nullable: false,
                defaultValue: "unconfirmed");

            migrationBuilder.AddColumn<string>(
                name: "decision_notes",
                schema: "plates",
                table: "hotlist_hits",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "decision_reason",
                schema: "plates",
                table: "hotlist_hits",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "read_color",
                schema: "plates",
                table: "hotlist_hits",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "read_make",
                schema: "plates",
                table: "hotlist_hits",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "decided_at",
                schema: "plates",
                table: "hotlist_hits");

            migrationBuilder.DropColumn(
                name: "decided_by",
                schema: "plates",
                table: "hotlist_hits");

            migrationBuilder.DropColumn(
                name: "decision",
                schema: "plates",
                table: "hotlist_hits");

            migrationBuilder.DropColumn(
                name: "decision_notes",
                schema: "plates",
                table: "hotlist_hits");

            migrationBuilder.DropColumn(
                name: "decision_reason",
                schema: "plates",
                table: "hotlist_hits");

            migrationBuilder.DropColumn(
                name: "read_color",
                schema: "plates",
                table: "hotlist_hits");

            migrationBuilder.DropColumn(
                name: "read_make",
                schema: "plates",
                table: "hotlist_hits");
        }
    }
}
