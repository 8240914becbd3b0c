using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeCities.Modules.Sensors.Data.Migrations
{
    /// <inheritdoc />
    internal partial class EnvironmentalReadings : Migration
    {
        /// <summary>
        /// Environmental readings are written with SQL (one statement per batch, see IngestSensorReadingsCommandHandler), not modelled by EF:
        /// sensors.readings is partitioned by UTC day of the reading's time like plates.plate_reads (the key must hold the partition key, so
        /// idempotency is device, reading id and time); sensors.latest_readings keeps the newest value per device and quantity for maps and rules.
        /// </summary>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE sensors.readings (
                    device_id uuid NOT NULL,
                    reading_id character varying(64) NOT NULL,
                    at timestamp with time zone NOT NULL,
                    quantity character varying(20) NOT NULL,
                    value double precision NOT NULL,
                    received_at timestamp with time zone NOT NULL,
                    via character varying(8) NOT NULL,
                    CONSTRAINT pk_readings PRIMARY KEY (device_id, reading_id, at)
                ) PARTITION BY RANGE (at);
                CREATE INDEX ix_readings_device_id_quantity_at ON sensors.readings (device_id, quantity, at);
                CREATE INDEX ix_readings_at ON sensors.readings USING brin (at);

                CREATE TABLE sensors.latest_readings (
                    device_id uuid NOT NULL,
                    quantity character varying(20) NOT NULL,
                    at timestamp with time zone NOT NULL,
                    value double precision NOT NULL,
                    CONSTRAINT pk_latest_readings PRIMARY KEY (device_id, quantity)
                );

                -- The partition of one UTC day, if missing; true when it made it (serialised like plates.ensure_plate_read_partition).
                CREATE FUNCTION sensors.ensure_reading_partition(p_day date) RETURNS boolean LANGUAGE plpgsql AS $fn$
                DECLARE
                    part text := format('readings_p%s', to_char(p_day, 'YYYYMMDD'));
                BEGIN
                    IF to_regclass(format('sensors.%I', part)) IS NOT NULL THEN
                        RETURN false;
                    END IF;
                    PERFORM pg_advisory_xact_lock(1347571028, 2);
                    IF EXISTS (SELECT 1 FROM pg_class WHERE relname = part AND relnamespace = 'sensors'::regnamespace) THEN
                        RETURN false;
                    END IF;
                    EXECUTE format('CREATE TABLE sensors.%I PARTITION OF sensors.readings FOR VALUES FROM (%L) TO (%L)', part,
                        p_day::timestamp AT TIME ZONE 'UTC', (p_day + 1)::timestamp AT TIME ZONE 'UTC');
                    RETURN true;
                EXCEPTION WHEN duplicate_table THEN
                    RETURN false;
                END
                $fn$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION sensors.ensure_reading_partition(date);
                DROP TABLE sensors.latest_readings;
                DROP TABLE sensors.readings;
                """);
        }
    }
}
