using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;

#nullable disable

namespace SafeCities.Modules.Platform.Data.Migrations
{
    /// <inheritdoc />
    internal partial class AddressPoints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "address_points",
                schema: "platform",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    street = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    place = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    key = table.Column<string>(type: "character varying(270)", maxLength: 270, nullable: false),
                    latitude = table.Column<double>(type: "double precision", nullable: false),
                    longitude = table.Column<double>(type: "double precision", nullable: false),
                    location = table.Column<Point>(type: "geography (point, 4326)", nullable: false),
                    imported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    imported_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_address_points", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_address_points_key",
                schema: "platform",
                table: "address_points",
                column: "key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_address_points_location",
                schema: "platform",
                table: "address_points",
                column: "location")
                .Annotation("Npgsql:IndexMethod", "gist");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "address_points",
                schema: "platform");
        }
    }
}
