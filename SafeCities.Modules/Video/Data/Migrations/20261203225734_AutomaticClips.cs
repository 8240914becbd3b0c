using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Video.Data.Migrations
{
    /// <inheritdoc />
    internal partial class AutomaticClips : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "sha256",
                schema: "video",
                table: "evidence_clips",
                type: "character(64)",
                fixedLength: true,
                maxLength: 64,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character(64)",
                oldFixedLength: true,
                oldMaxLength: 64);

            migrationBuilder.AlterColumn<string>(
                name: "file_name",
                schema: "video",
                table: "evidence_clips",
                type: "character varying(80)",
                maxLength: 80,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(80)",
                oldMaxLength: 80);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "covered_from",
                schema: "video",
                table: "evidence_clips",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "covered_to",
                schema: "video",
                table: "evidence_clips",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "failure",
                schema: "video",
                table: "evidence_clips",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "source",
                schema: "video",
                table: "evidence_clips",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "live-stream");

            migrationBuilder.AddColumn<string>(
                name: "status",
                schema: "video",
                table: "evidence_clips",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "saved");

            // Clips saved before covered windows were stored: recorded from the start, as long as measured (ADR 0017's manual path).
            migrationBuilder.Sql("UPDATE video.evidence_clips SET covered_from = recorded_from, covered_to = recorded_from + make_interval(secs => duration_seconds) WHERE covered_from IS NULL;");

            migrationBuilder.CreateIndex(
                name: "ix_evidence_clips_status",
                schema: "video",
                table: "evidence_clips",
                column: "status",
                filter: "status = 'recording'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_evidence_clips_status",
                schema: "video",
                table: "evidence_clips");

            migrationBuilder.DropColumn(
                name: "covered_from",
                schema: "video",
                table: "evidence_clips");

            migrationBuilder.DropColumn(
                name: "covered_to",
                schema: "video",
                table: "evidence_clips");

            migrationBuilder.DropColumn(
                name: "failure",
                schema: "video",
                table: "evidence_clips");

            migrationBuilder.DropColumn(
                name: "source",
                schema: "video",
                table: "evidence_clips");

            migrationBuilder.DropColumn(
                name: "status",
                schema: "video",
                table: "evidence_clips");

            migrationBuilder.AlterColumn<string>(
                name: "sha256",
                schema: "video",
                table: "evidence_clips",
                type: "character(64)",
                fixedLength: true,
                maxLength: 64,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character(64)",
                oldFixedLength: true,
                oldMaxLength: 64,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "file_name",
                schema: "video",
                table: "evidence_clips",
                type: "character varying(80)",
                maxLength: 80,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character varying(80)",
                oldMaxLength: 80,
                oldNullable: true);
        }
    }
}
