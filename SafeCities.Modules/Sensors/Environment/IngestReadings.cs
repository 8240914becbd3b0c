using Npgsql;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Sensors.Environment;

/// <summary>One reading in a body (HTTP or MQTT): the device's own id for it, when, which quantity, the value and optionally its unit.</summary>
internal sealed record SensorReadingInput(string ReadingId, DateTimeOffset At, string Quantity, double Value, string? Unit = null);

/// <summary>The body a device sends, over HTTP or MQTT alike.</summary>
internal sealed record SensorReadingsBody(IReadOnlyList<SensorReadingInput> Readings);

/// <summary>
/// Stores a device's readings (all or none: a bad reading refuses the batch, each problem named). Idempotent per device, reading id and
/// time: a batch sent again stores nothing twice (<see cref="ReadingsStored.Duplicates"/> counts what was already there).
/// </summary>
internal sealed record IngestSensorReadingsCommand(Guid DeviceId, IReadOnlyList<SensorReadingInput> Readings, string Via) : ICommand<ReadingsStored>;

internal sealed record ReadingsStored(int Stored, int Duplicates);

internal sealed class IngestSensorReadingsCommandValidator : AbstractValidator<IngestSensorReadingsCommand>
{
    public const int MaxReadingsPerBatch = 1000;

    public IngestSensorReadingsCommandValidator(TimeProvider clock, IOptions<SensorsOptions> options)
    {
        var skew = TimeSpan.FromSeconds(options.Value.MaxClockSkewSeconds);
        var oldest = TimeSpan.FromDays(options.Value.ReadingRetentionDays);
        RuleFor(c => c.DeviceId).NotEmpty();
        RuleFor(c => c.Readings).NotNull().NotEmpty().WithMessage("Send at least one reading.")
            .Must(r => r is null || r.Count <= MaxReadingsPerBatch).WithMessage($"Send at most {MaxReadingsPerBatch} readings per batch.");
        RuleForEach(c => c.Readings).NotNull().ChildRules(r =>
        {
            r.RuleFor(x => x.ReadingId).NotEmpty().MaximumLength(64);
            r.RuleFor(x => x.At).Must(at => at <= clock.GetUtcNow() + skew)
                .WithMessage(x => $"{x.At:O} is in the future (more than {skew.TotalSeconds:0} s ahead of the server's clock).")
                .Must(at => at >= clock.GetUtcNow() - oldest)
                .WithMessage($"Readings older than the retention ({options.Value.ReadingRetentionDays} days) are not stored.");
            r.RuleFor(x => x).Custom((x, context) =>
            {
                if (EnvironmentalQuantities.Refusal(x.Quantity, x.Value, x.Unit) is { } why)
                    context.AddFailure(nameof(SensorReadingInput.Value), why);
            });
        });
        RuleFor(c => c.Via).NotEmpty().MaximumLength(8);
    }
}

/// <summary>
/// One statement: the new readings go into the day-partitioned <c>sensors.readings</c> (duplicates skipped), the latest value per quantity
/// into <c>sensors.latest_readings</c>, and the device is seen. Acknowledged (HTTP 200, MQTT PUBACK) only after it commits.
/// </summary>
internal sealed class IngestSensorReadingsCommandHandler(NpgsqlDataSource dataSource, SensorReadingPartitions partitions, TimeProvider clock)
    : ICommandHandler<IngestSensorReadingsCommand, ReadingsStored>
{
    private const string Insert = """
        WITH input AS (
            SELECT * FROM unnest(@ids::text[], @ats::timestamptz[], @quantities::text[], @values::double precision[]) AS t(reading_id, at, quantity, value)
        ), stored AS (
            INSERT INTO sensors.readings (device_id, reading_id, at, quantity, value, received_at, via)
            SELECT @device, reading_id, at, quantity, value, @now, @via FROM input
            ON CONFLICT DO NOTHING
            RETURNING quantity, at, value
        ), latest AS (
            INSERT INTO sensors.latest_readings AS l (device_id, quantity, at, value)
            SELECT DISTINCT ON (quantity) @device, quantity, at, value FROM stored ORDER BY quantity, at DESC
            ON CONFLICT (device_id, quantity) DO UPDATE SET at = excluded.at, value = excluded.value WHERE l.at < excluded.at
            RETURNING 1
        ), seen AS (
            UPDATE sensors.devices SET last_seen_at = @now WHERE id = @device AND (last_seen_at IS NULL OR last_seen_at < @now)
            RETURNING 1
        )
        SELECT count(*)::int FROM stored
        """;

    public async ValueTask<ReadingsStored> Handle(IngestSensorReadingsCommand command, CancellationToken cancellationToken)
    {
        var readings = command.Readings;
        await partitions.EnsureAsync(readings.Select(r => DayPartitions.DayOf(r.At.UtcDateTime)), cancellationToken);
        await using var sql = dataSource.CreateCommand(Insert);
        sql.Parameters.AddWithValue("ids", readings.Select(r => r.ReadingId).ToArray());
        sql.Parameters.AddWithValue("ats", readings.Select(r => r.At.ToUniversalTime()).ToArray());
        sql.Parameters.AddWithValue("quantities", readings.Select(r => r.Quantity).ToArray());
        sql.Parameters.AddWithValue("values", readings.Select(r => r.Value).ToArray());
        sql.Parameters.AddWithValue("device", command.DeviceId);
        sql.Parameters.AddWithValue("now", clock.GetUtcNow());
        sql.Parameters.AddWithValue("via", command.Via);
        int stored;
        try
        {
            stored = (int)(await sql.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation && e.Message.Contains("no partition", StringComparison.Ordinal))
        {
            partitions.Forget(); // dropped by retention on another node meanwhile: make it again, once
            await partitions.EnsureAsync(readings.Select(r => DayPartitions.DayOf(r.At.UtcDateTime)), cancellationToken);
            stored = (int)(await sql.ExecuteScalarAsync(cancellationToken))!;
        }
        return new ReadingsStored(stored, readings.Count - stored);
    }
}

/// <summary>The day partitions of <c>sensors.readings</c> (UTC days of the reading's time).</summary>
internal sealed class SensorReadingPartitions(NpgsqlDataSource dataSource) : DayPartitions(dataSource, "sensors", "readings", "ensure_reading_partition");
