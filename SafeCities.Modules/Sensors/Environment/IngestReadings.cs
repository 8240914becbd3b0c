using Npgsql;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Sensors.Data;
using SafeCities.Modules.Shared.Outbox;
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
/// One transaction: the new readings go into the day-partitioned <c>sensors.readings</c> (duplicates skipped), the latest value per quantity
/// into <c>sensors.latest_readings</c>, the device is seen, and the new readings move the threshold rules that watch this sensor (a
/// crossing or a clearing is written to Sensors' outbox in the same transaction). Acknowledged (HTTP 200, MQTT PUBACK) only after commit.
/// </summary>
internal sealed class IngestSensorReadingsCommandHandler(NpgsqlDataSource dataSource, SensorReadingPartitions partitions, SensorsDbContext db,
    ThresholdRuleCache ruleCache, OutboxDelivery outbox, TimeProvider clock) : ICommandHandler<IngestSensorReadingsCommand, ReadingsStored>
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
        SELECT quantity, at, value FROM stored
        """;

    public async ValueTask<ReadingsStored> Handle(IngestSensorReadingsCommand command, CancellationToken cancellationToken)
    {
        var readings = command.Readings;
        await partitions.EnsureAsync(readings.Select(r => DayPartitions.DayOf(r.At.UtcDateTime)), cancellationToken);
        try
        {
            return await StoreAsync(command, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation && e.Message.Contains("no partition", StringComparison.Ordinal))
        {
            partitions.Forget(); // dropped by retention on another node meanwhile: make it again, once
            await partitions.EnsureAsync(readings.Select(r => DayPartitions.DayOf(r.At.UtcDateTime)), cancellationToken);
            return await StoreAsync(command, cancellationToken);
        }
    }

    private async Task<ReadingsStored> StoreAsync(IngestSensorReadingsCommand command, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var sql = new NpgsqlCommand(Insert, connection, tx);
        sql.Parameters.AddWithValue("ids", command.Readings.Select(r => r.ReadingId).ToArray());
        sql.Parameters.AddWithValue("ats", command.Readings.Select(r => r.At.ToUniversalTime()).ToArray());
        sql.Parameters.AddWithValue("quantities", command.Readings.Select(r => r.Quantity).ToArray());
        sql.Parameters.AddWithValue("values", command.Readings.Select(r => r.Value).ToArray());
        sql.Parameters.AddWithValue("device", command.DeviceId);
        sql.Parameters.AddWithValue("now", clock.GetUtcNow());
        sql.Parameters.AddWithValue("via", command.Via);
        var stored = new List<(string Quantity, DateTimeOffset At, double Value)>();
        await using (var reader = await sql.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                stored.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetDouble(2)));
        var messages = stored.Count == 0 ? [] : await EvaluateRulesAsync(connection, tx, command.DeviceId, stored, ct);
        await tx.CommitAsync(ct);
        foreach (var message in messages)
            outbox.Post(typeof(SensorsDbContext), message);
        return new ReadingsStored(stored.Count, command.Readings.Count - stored.Count);
    }

    /// <summary>Moves every enabled rule that watches this sensor and one of the stored quantities (or the AQI); the transitions go to the outbox.</summary>
    private async Task<IReadOnlyList<OutboxMessage>> EvaluateRulesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid deviceId,
        List<(string Quantity, DateTimeOffset At, double Value)> stored, CancellationToken ct)
    {
        var quantities = stored.Select(s => s.Quantity).Distinct().ToList();
        var aqi = quantities.Any(AirQualityIndex.Covers);
        var rules = (await ruleCache.EnabledAsync(ct)).Where(r => quantities.Contains(r.Quantity) || (aqi && r.Quantity == ThresholdRule.Aqi)).ToList();
        if (rules.Count == 0)
            return [];
        db.Database.SetDbConnection(connection);
        await db.Database.UseTransactionAsync(tx, ct);
        var device = await db.Devices.AsNoTracking().SingleAsync(d => d.Id == deviceId, ct);
        rules = rules.Where(r => r.Covers(device.Latitude, device.Longitude)).ToList();
        if (rules.Count == 0)
            return [];
        var ruleIds = rules.Select(r => r.Id).ToList();
        var states = (await db.ThresholdRuleStates.FromSql($"""
                SELECT * FROM sensors.threshold_rule_states WHERE device_id = {deviceId} AND rule_id = ANY({ruleIds}) FOR UPDATE
                """).ToListAsync(ct)).ToDictionary(s => s.RuleId);
        var messages = new List<OutboxMessage>();
        foreach (var rule in rules)
        {
            if (!states.TryGetValue(rule.Id, out var state))
                db.ThresholdRuleStates.Add(state = new ThresholdRuleState { RuleId = rule.Id, DeviceId = deviceId, LastAt = DateTimeOffset.MinValue });
            var q = EnvironmentalQuantities.Find(rule.Quantity);
            // A change rule speaks in percent of change over its window; the others in the quantity's unit (or the AQI).
            var (label, unit) = rule.ChangeWindowSeconds is { } window
                ? ($"{q?.Name} change in {(window % 60 == 0 ? $"{window / 60} min" : $"{window} s")}", "%")
                : (q?.Name ?? "Air quality index", q?.Symbol ?? "AQI");
            foreach (var (at, value) in await ValuesAsync(connection, tx, rule, deviceId, stored, ct))
            {
                var crossing = state.CrossingId;
                switch (ThresholdRuleEvaluator.Step(rule, state, at, value))
                {
                    case ThresholdTransition.Crossed:
                        messages.Add(db.AddOutboxMessage(new EnvironmentalThresholdCrossedEvent(state.CrossingId!.Value, rule.Id, rule.Name,
                            q?.Kind ?? EnvironmentalKinds.AirQuality, rule.Quantity, label, value, unit, rule.Threshold,
                            rule.Above, rule.Severity, deviceId, device.Name, device.Latitude, device.Longitude, at), state.CrossingId, deliveredByCaller: true));
                        break;
                    case ThresholdTransition.Cleared:
                        messages.Add(db.AddOutboxMessage(new EnvironmentalThresholdClearedEvent(crossing!.Value, rule.Id, rule.Name, device.Name, value,
                            unit, rule.ClearLevel, at), deliveredByCaller: true));
                        break;
                }
            }
        }
        await db.SaveChangesAsync(ct);
        return messages;
    }

    /// <summary>
    /// The values a rule steps through, in time order: the stored readings of its quantity; for the AQI, the overall index of the sensor's
    /// latest pollutant values (one value, at the newest stored pollutant reading).
    /// </summary>
    private static async Task<IReadOnlyList<(DateTimeOffset At, double Value)>> ValuesAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        ThresholdRule rule, Guid deviceId, List<(string Quantity, DateTimeOffset At, double Value)> stored, CancellationToken ct)
    {
        if (rule.ChangeWindowSeconds is { } window)
            return await ChangesAsync(connection, tx, rule.Quantity, TimeSpan.FromSeconds(window), deviceId,
                stored.Where(s => s.Quantity == rule.Quantity).OrderBy(s => s.At).ToList(), ct);
        if (rule.Quantity != ThresholdRule.Aqi)
            return stored.Where(s => s.Quantity == rule.Quantity).OrderBy(s => s.At).Select(s => (s.At, s.Value)).ToList();
        await using var latest = new NpgsqlCommand("SELECT quantity, value FROM sensors.latest_readings WHERE device_id = @device", connection, tx);
        latest.Parameters.AddWithValue("device", deviceId);
        var values = new List<(string, double)>();
        await using (var reader = await latest.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                values.Add((reader.GetString(0), reader.GetDouble(1)));
        return AirQualityIndex.Overall(values) is { } index
            ? [(stored.Where(s => AirQualityIndex.Covers(s.Quantity)).Max(s => s.At), index.Index)]
            : [];
    }

    /// <summary>
    /// For a change rule: each stored reading's change in percent against the sensor's latest reading at or before <paramref name="window"/>
    /// earlier and not older than two windows (one statement; this transaction sees the batch's own rows). A reading with no such earlier
    /// reading, or one of zero, has no change.
    /// </summary>
    private static async Task<IReadOnlyList<(DateTimeOffset At, double Value)>> ChangesAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        string quantity, TimeSpan window, Guid deviceId, List<(string Quantity, DateTimeOffset At, double Value)> readings, CancellationToken ct)
    {
        if (readings.Count == 0)
            return [];
        await using var sql = new NpgsqlCommand("""
            SELECT s.at, (s.value - p.value) / abs(p.value) * 100
            FROM unnest(@ats, @values) AS s(at, value)
            JOIN LATERAL (SELECT r.value FROM sensors.readings r
                          WHERE r.device_id = @device AND r.quantity = @quantity AND r.at <= s.at - @window AND r.at >= s.at - 2 * @window
                          ORDER BY r.at DESC LIMIT 1) p ON p.value <> 0
            ORDER BY s.at
            """, connection, tx);
        sql.Parameters.AddWithValue("ats", readings.Select(r => r.At).ToArray());
        sql.Parameters.AddWithValue("values", readings.Select(r => r.Value).ToArray());
        sql.Parameters.AddWithValue("device", deviceId);
        sql.Parameters.AddWithValue("quantity", quantity);
        sql.Parameters.AddWithValue("window", window);
        var changes = new List<(DateTimeOffset, double)>();
        await using var reader = await sql.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            changes.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.GetDouble(1)));
        return changes;
    }
}

/// <summary>The day partitions of <c>sensors.readings</c> (UTC days of the reading's time).</summary>
internal sealed class SensorReadingPartitions(NpgsqlDataSource dataSource) : DayPartitions(dataSource, "sensors", "readings", "ensure_reading_partition");
