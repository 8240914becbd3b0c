using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Plates.Data.Migrations
{
    /// <inheritdoc />
    internal partial class PlateSearchIndex : Migration
    {
        /// <summary>
        /// Plate search and hotlist look-back find reads by plate (exact or prefix) within a time range. On the day-partitioned
        /// table this is a partitioned index: every day partition gets its own.
        /// </summary>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE INDEX IF NOT EXISTS ix_plate_reads_plate_captured_at ON plates.plate_reads (plate text_pattern_ops, captured_at)");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS plates.ix_plate_reads_plate_captured_at");
        }
    }
}
