using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Video.Data.Migrations
{
    /// <inheritdoc />
    internal partial class EvidenceClips : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "evidence_clips",
                schema: "video",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    incident_id = table.Column<Guid>(type: "uuid", nullable: false),
                    camera_id = table.Column<Guid>(type: "uuid", nullable: false),
                    camera_name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    file_name = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    recorded_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    duration_seconds = table.Column<double>(type: "double precision", nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    bookmark_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    bookmark_to = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    saved_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    saved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_evidence_clips", x => x.id);
                    table.ForeignKey(
                        name: "fk_evidence_clips_cameras_camera_id",
                        column: x => x.camera_id,
                        principalSchema: "video",
                        principalTable: "cameras",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_evidence_clips_camera_id",
                schema: "video",
                table: "evidence_clips",
                column: "camera_id");

            migrationBuilder.CreateIndex(
                name: "ix_evidence_clips_incident_id",
                schema: "video",
                table: "evidence_clips",
                column: "incident_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "evidence_clips",
                schema: "video");
        }
    }
}
