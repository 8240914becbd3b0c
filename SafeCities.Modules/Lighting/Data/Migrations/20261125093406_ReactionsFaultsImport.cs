using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SafeCities.Modules.Lighting.Data.Migrations
{
    /// <inheritdoc />
    internal partial class ReactionsFaultsImport : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "incident_lighting",
                schema: "lighting",
                columns: table => new
                {
                    incident_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    latitude = table.Column<double>(type: "double precision", nullable: false),
                    longitude = table.Column<double>(type: "double precision", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    outcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    summary = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    radius_meters = table.Column<int>(type: "integer", nullable: false),
                    level_percent = table.Column<int>(type: "integer", nullable: false),
                    restore_due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    restored_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    restore_job_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_incident_lighting", x => x.incident_id);
                });

            migrationBuilder.CreateTable(
                name: "level_changes",
                schema: "lighting",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    light_id = table.Column<Guid>(type: "uuid", nullable: false),
                    level = table.Column<int>(type: "integer", nullable: false),
                    reason = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    incident_id = table.Column<Guid>(type: "uuid", nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    outcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_level_changes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "light_raises",
                schema: "lighting",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    incident_id = table.Column<Guid>(type: "uuid", nullable: false),
                    light_id = table.Column<Guid>(type: "uuid", nullable: false),
                    level = table.Column<int>(type: "integer", nullable: false),
                    raised_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    restore_attempts = table.Column<int>(type: "integer", nullable: false),
                    error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_light_raises", x => x.id);
                    table.ForeignKey(
                        name: "fk_light_raises_streetlights_light_id",
                        column: x => x.light_id,
                        principalSchema: "lighting",
                        principalTable: "streetlights",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "reaction_reports",
                schema: "lighting",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    incident_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    text = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reaction_reports", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "reaction_settings",
                schema: "lighting",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    trigger_kinds = table.Column<List<string>>(type: "text[]", nullable: false),
                    radius_meters = table.Column<int>(type: "integer", nullable: false),
                    level_percent = table.Column<int>(type: "integer", nullable: false),
                    duration_minutes = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reaction_settings", x => x.id);
                    table.CheckConstraint("ck_reaction_settings_singleton", "id = 1");
                });

            migrationBuilder.CreateTable(
                name: "work_orders",
                schema: "lighting",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    light_id = table.Column<Guid>(type: "uuid", nullable: false),
                    fault_kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    fault_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    opened_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    cleared_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_work_orders", x => x.id);
                    table.ForeignKey(
                        name: "fk_work_orders_streetlights_light_id",
                        column: x => x.light_id,
                        principalSchema: "lighting",
                        principalTable: "streetlights",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_incident_lighting_restore_due_at",
                schema: "lighting",
                table: "incident_lighting",
                column: "restore_due_at",
                filter: "restored_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_level_changes_incident_id",
                schema: "lighting",
                table: "level_changes",
                column: "incident_id");

            migrationBuilder.CreateIndex(
                name: "ix_level_changes_light_id_at",
                schema: "lighting",
                table: "level_changes",
                columns: new[] { "light_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_light_raises_incident_id_light_id",
                schema: "lighting",
                table: "light_raises",
                columns: new[] { "incident_id", "light_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_light_raises_light_id",
                schema: "lighting",
                table: "light_raises",
                column: "light_id",
                filter: "ended_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_reaction_reports_at",
                schema: "lighting",
                table: "reaction_reports",
                column: "at",
                filter: "published_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_reaction_reports_incident_id",
                schema: "lighting",
                table: "reaction_reports",
                column: "incident_id");

            migrationBuilder.CreateIndex(
                name: "ix_work_orders_light_id_fault_kind",
                schema: "lighting",
                table: "work_orders",
                columns: new[] { "light_id", "fault_kind" },
                unique: true,
                filter: "closed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_work_orders_opened_at",
                schema: "lighting",
                table: "work_orders",
                column: "opened_at",
                filter: "closed_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "incident_lighting",
                schema: "lighting");

            migrationBuilder.DropTable(
                name: "level_changes",
                schema: "lighting");

            migrationBuilder.DropTable(
                name: "light_raises",
                schema: "lighting");

            migrationBuilder.DropTable(
                name: "reaction_reports",
                schema: "lighting");

            migrationBuilder.DropTable(
                name: "reaction_settings",
                schema: "lighting");

            migrationBuilder.DropTable(
                name: "work_orders",
                schema: "lighting");
        }
    }
}
