using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SafeCities.Modules.Plates.Data.Migrations
{
    /// <inheritdoc />
    internal partial class PartitionPlateReadsByDay : Migration
    {
        /// <summary>
        /// Declarative partitioning is not modelled by EF: the plain table becomes a table partitioned by range of captured_at,
        /// one partition per UTC day (plates.plate_reads_pYYYYMMDD), made by plates.ensure_plate_read_partition(day) — at start-up,
        /// by the hourly job (today … +7 days) and on demand before a batch holding another day is copied. Unique keys must
        /// hold the partition key, so the key is (id, captured_at) and idempotency is (reader_id, read_id, captured_at).
        /// Existing reads are moved into their day partitions.
        /// </summary>
        private const string PartitionReads = """
            DROP INDEX plates.ix_plate_reads_captured_at;
            DROP INDEX plates.ix_plate_reads_reader_id_read_id;
            DROP INDEX plates.ix_plate_reads_reader_id_captured_at;
            ALTER TABLE plates.plate_reads DROP CONSTRAINT pk_plate_reads;
            ALTER TABLE plates.plate_reads RENAME TO plate_reads_unpartitioned;

            CREATE TABLE plates.plate_reads (
                id uuid NOT NULL,
                reader_id uuid NOT NULL,
                read_id character varying(128) NOT NULL,
                plate character varying(10) NOT NULL,
                region character varying(8) NOT NULL,
                captured_at timestamp with time zone NOT NULL,
                received_at timestamp with time zone NOT NULL,
                confidence double precision NOT NULL,
                make character varying(40),
                model character varying(40),
                color character varying(30),
                image_ref character varying(512),
                latitude double precision NOT NULL,
                longitude double precision NOT NULL,
                CONSTRAINT pk_plate_reads PRIMARY KEY (id, captured_at)
            ) PARTITION BY RANGE (captured_at);
            CREATE UNIQUE INDEX ix_plate_reads_reader_id_read_id_captured_at ON plates.plate_reads (reader_id, read_id, captured_at);
            CREATE INDEX ix_plate_reads_reader_id_captured_at ON plates.plate_reads (reader_id, captured_at);
            CREATE INDEX ix_plate_reads_captured_at ON plates.plate_reads USING brin (captured_at);

            -- Creates the partition of one UTC day if it is missing; true when it made it. Serialised by an advisory lock
            -- (two-int key space, so it never meets the single-key locks of ingestion and arming).
            CREATE FUNCTION plates.ensure_plate_read_partition(p_day date) RETURNS boolean LANGUAGE plpgsql AS $fn$
            DECLARE
                part text := format('plate_reads_p%s', to_char(p_day, 'YYYYMMDD'));
            BEGIN
                IF to_regclass(format('plates.%I', part)) IS NOT NULL THEN
                    RETURN false;
                END IF;
                PERFORM pg_advisory_xact_lock(1347571028, 1);
                -- A fresh look at the catalog (the cache behind to_regclass may not have seen a concurrent creation yet).
                IF EXISTS (SELECT 1 FROM pg_class WHERE relname = part AND relnamespace = 'plates'::regnamespace) THEN
                    RETURN false;
                END IF;
                EXECUTE format('CREATE TABLE plates.%I PARTITION OF plates.plate_reads FOR VALUES FROM (%L) TO (%L)', part,
                    p_day::timestamp AT TIME ZONE 'UTC', (p_day + 1)::timestamp AT TIME ZONE 'UTC');
                RETURN true;
            EXCEPTION WHEN duplicate_table THEN
                RETURN false;
            END
            $fn$;

            SELECT plates.ensure_plate_read_partition(d)
            FROM (SELECT DISTINCT (captured_at AT TIME ZONE 'UTC')::date AS d FROM plates.plate_reads_unpartitioned) days;
            INSERT INTO plates.plate_reads SELECT id, reader_id, read_id, plate, region, captured_at, received_at, confidence, make, model, color,
                image_ref, latitude, longitude FROM plates.plate_reads_unpartitioned;
            DROP TABLE plates.plate_reads_unpartitioned;
            """;

        private const string UnpartitionReads = """
            CREATE TABLE plates.plate_reads_unpartitioned (LIKE plates.plate_reads INCLUDING DEFAULTS);
            INSERT INTO plates.plate_reads_unpartitioned SELECT * FROM plates.plate_reads;
            DROP TABLE plates.plate_reads;
            DROP FUNCTION plates.ensure_plate_read_partition(date);
            ALTER TABLE plates.plate_reads_unpartitioned RENAME TO plate_reads;
            ALTER TABLE plates.plate_reads ADD CONSTRAINT pk_plate_reads PRIMARY KEY (id);
            CREATE UNIQUE INDEX ix_plate_reads_reader_id_read_id ON plates.plate_reads (reader_id, read_id);
            CREATE INDEX ix_plate_reads_reader_id_captured_at ON plates.plate_reads (reader_id, captured_at);
            CREATE INDEX ix_plate_reads_captured_at ON plates.plate_reads (captured_at);
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(PartitionReads);

            migrationBuilder.CreateTable(
                name: "retention_runs",
                schema: "plates",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    run_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    data_class = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    deleted = table.Column<long>(type: "bigint", nullable: false),
                    kept_as_evidence = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_retention_runs", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_retention_runs_data_class_day",
                schema: "plates",
                table: "retention_runs",
                columns: new[] { "data_class", "day" });

            migrationBuilder.CreateIndex(
                name: "ix_retention_runs_run_at",
                schema: "plates",
                table: "retention_runs",
                column: "run_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "retention_runs",
                schema: "plates");

            migrationBuilder.Sql(UnpartitionReads);
        }
    }
}
