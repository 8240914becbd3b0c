using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Video.Data.Migrations
{
    /// <inheritdoc />
    internal partial class IncidentTasking : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Cameras registered before this migration get the documented defaults (6 m mount, tilt −90…20°), not 0.
            migrationBuilder.AddColumn<double>(
                name: "mount_height_meters",
                schema: "video",
                table: "cameras",
                type: "double precision",
                nullable: false,
                defaultValue: 6.0);

            migrationBuilder.AddColumn<double>(
                name: "pan_max_degrees",
                schema: "video",
                table: "cameras",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "pan_min_degrees",
                schema: "video",
                table: "cameras",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "tilt_max_degrees",
                schema: "video",
                table: "cameras",
                type: "double precision",
                nullable: false,
                defaultValue: 20.0);

            migrationBuilder.AddColumn<double>(
                name: "tilt_min_degrees",
                schema: "video",
                table: "cameras",
                type: "double precision",
                nullable: false,
                defaultValue: -90.0);

            migrationBuilder.CreateTable(
                name: "incident_cameras",
                schema: "video",
                columns: table => new
                {
                    incident_id = table.Column<Guid>(type: "uuid", nullable: false),
                    camera_id = table.Column<Guid>(type: "uuid", nullable: false),
                    role = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    bearing_degrees = table.Column<double>(type: "double precision", nullable: false),
                    tilt_degrees = table.Column<double>(type: "double precision", nullable: true),
                    distance_meters = table.Column<double>(type: "double precision", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    pointed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    bookmark_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    bookmark_to = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    bookmark_label = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    failure = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_incident_cameras", x => new { x.incident_id, x.camera_id });
                    table.ForeignKey(
                        name: "fk_incident_cameras_cameras_camera_id",
                        column: x => x.camera_id,
                        principalSchema: "video",
                        principalTable: "cameras",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "incident_reactions",
                schema: "video",
                columns: table => new
                {
                    incident_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    latitude = table.Column<double>(type: "double precision", nullable: false),
                    longitude = table.Column<double>(type: "double precision", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reacted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ptz_turned = table.Column<int>(type: "integer", nullable: false),
                    fixed_covering = table.Column<int>(type: "integer", nullable: false),
                    bookmarked = table.Column<int>(type: "integer", nullable: false),
                    failed = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_incident_reactions", x => x.incident_id);
                });

            migrationBuilder.CreateTable(
                name: "reaction_reports",
                schema: "video",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    incident_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    text = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ptz_turned = table.Column<int>(type: "integer", nullable: false),
                    fixed_covering = table.Column<int>(type: "integer", nullable: false),
                    bookmarked = table.Column<int>(type: "integer", nullable: false),
                    nearest_meters = table.Column<double>(type: "double precision", nullable: true),
                    camera_ids = table.Column<Guid[]>(type: "uuid[]", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reaction_reports", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "reaction_settings",
                schema: "video",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    trigger_kinds = table.Column<string[]>(type: "text[]", nullable: false),
                    pre_seconds = table.Column<int>(type: "integer", nullable: false),
                    post_minutes = table.Column<int>(type: "integer", nullable: false),
                    max_ptz_cameras = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reaction_settings", x => x.id);
                    table.CheckConstraint("ck_reaction_settings_single_row", "id = 1");
                });

            migrationBuilder.InsertData(
                schema: "video",
                table: "reaction_settings",
                columns: new[] { "id", "max_ptz_cameras", "post_minutes", "pre_seconds", "trigger_kinds", "updated_at", "updated_by" },
                values: new object[] { 1, 10, 5, 30, new[] { "gunshot" }, null, null });

            migrationBuilder.CreateIndex(
                name: "ix_incident_cameras_camera_id",
                schema: "video",
                table: "incident_cameras",
                column: "camera_id");

            migrationBuilder.CreateIndex(
                name: "ix_reaction_reports_incident_id",
                schema: "video",
                table: "reaction_reports",
                column: "incident_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "incident_cameras",
                schema: "video");

            migrationBuilder.DropTable(
                name: "incident_reactions",
                schema: "video");

            migrationBuilder.DropTable(
                name: "reaction_reports",
                schema: "video");

            migrationBuilder.DropTable(
                name: "reaction_settings",
                schema: "video");

            migrationBuilder.DropColumn(
                name: "mount_height_meters",
                schema: "video",
                table: "cameras");

            migrationBuilder.DropColumn(
                name: "pan_max_degrees",
                schema: "video",
                table: "cameras");

            migrationBuilder.DropColumn(
                name: "pan_min_degrees",
                schema: "video",
                table: "cameras");

            migrationBuilder.DropColumn(
                name: "tilt_max_degrees",
                schema: "video",
                table: "cameras");

            migrationBuilder.DropColumn(
                name: "tilt_min_degrees",
                schema: "video",
                table: "cameras");
        }
    }
}
