using System.Diagnostics.Metrics;
using Npgsql;

namespace SafeCities.Modules.Shared.Observability;

public static class OutboxLag
{
    /// <summary>At most this many pending rows are counted per outbox, so a scrape stays cheap however large a backlog grows.</summary>
    public const int PendingCap = 1000;

    /// <summary>
    /// Registers one outbox (a life-safety event whose reactions are marked done by a column, and re-run by a sweep when a crash
    /// interrupted them) for the <c>safecities.outbox.*</c> gauges. <paramref name="timestampColumn"/> is when the event was
    /// stored, <paramref name="pendingCondition"/> selects the not-yet-dispatched rows exactly as the module's sweep does; an index
    /// on <paramref name="timestampColumn"/> filtered by that condition keeps the scrape query an index scan of pending rows only.
    /// The arguments are the module's own constants, never input.
    /// </summary>
    public static IServiceCollection AddOutboxLag(this IServiceCollection services, string outbox, string table, string timestampColumn, string pendingCondition)
    {
        services.AddSingleton(new OutboxProbe(outbox,
            $"SELECT min(t), count(*) FROM (SELECT {timestampColumn} AS t FROM {table} WHERE {pendingCondition} ORDER BY {timestampColumn} LIMIT {PendingCap}) pending"));
        return services.AddMetricsSource<OutboxLagGauges>();
    }
}

internal sealed record OutboxProbe(string Outbox, string Sql);

/// <summary>
/// <c>safecities.outbox.oldest_pending_age</c> (seconds since the oldest not-yet-dispatched event of each outbox was stored; 0 when
/// none) and <c>safecities.outbox.pending</c> (how many, capped at <see cref="OutboxLag.PendingCap"/>). Read on scrape with one
/// round trip for all outboxes (bounded by a 2 s timeout) and kept for 5 s, so several scrapers or exporters cost one query.
/// When the database cannot be read the gauges report nothing (the series go absent) and the readiness check says why.
/// </summary>
internal sealed class OutboxLagGauges : IMetricsSource
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private readonly OutboxProbe[] probes;
    private readonly NpgsqlDataSource dataSource;
    private readonly TimeProvider clock;
    private readonly ILogger<OutboxLagGauges> logger;
    private readonly Lock gate = new();
    private (DateTimeOffset At, Reading[] Readings)? last;

    public OutboxLagGauges(IMeterFactory meters, IEnumerable<OutboxProbe> probes, NpgsqlDataSource dataSource, TimeProvider clock, ILogger<OutboxLagGauges> logger)
    {
        this.probes = probes.DistinctBy(p => p.Outbox).ToArray();
        this.dataSource = dataSource;
        this.clock = clock;
        this.logger = logger;
        var meter = meters.Create("SafeCities.Outbox");
        meter.CreateObservableGauge("safecities.outbox.oldest_pending_age",
            () => Read().Select(r => new Measurement<double>(r.AgeSeconds, new KeyValuePair<string, object?>("outbox", r.Outbox))), "s",
            "Seconds since the oldest life-safety event whose reactions have not all run was stored (0 when none is pending).");
        meter.CreateObservableGauge("safecities.outbox.pending",
            () => Read().Select(r => new Measurement<long>(r.Pending, new KeyValuePair<string, object?>("outbox", r.Outbox))), "{event}",
            $"Events whose reactions have not all run (counted up to {OutboxLag.PendingCap}).");
    }

    internal sealed record Reading(string Outbox, double AgeSeconds, long Pending);

    internal Reading[] Read()
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            if (last is { } cached && now - cached.At < CacheFor)
                return cached.Readings;
            Reading[] readings;
            try
            {
                readings = QueryAsync(now).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                logger.LogWarning("Outbox lag could not be read ({Error}); the gauges report nothing until the database answers", ex.GetType().Name);
                readings = [];
            }
            last = (now, readings);
            return readings;
        }
    }

    // Observable callbacks are synchronous; the async calls take a deadline that the synchronous ones would not (a blackholed
    // database host would otherwise hold a scrape for the whole connect timeout).
    private async Task<Reading[]> QueryAsync(DateTimeOffset now)
    {
        if (probes.Length == 0)
            return [];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await using var connection = await dataSource.OpenConnectionAsync(deadline.Token);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var probe in probes)
            batch.BatchCommands.Add(new NpgsqlBatchCommand(probe.Sql));
        await using var reader = await batch.ExecuteReaderAsync(deadline.Token);
        var readings = new Reading[probes.Length];
        for (var i = 0; i < probes.Length; i++)
        {
            if (i > 0)
                await reader.NextResultAsync(deadline.Token);
            await reader.ReadAsync(deadline.Token);
            var oldest = reader.IsDBNull(0) ? (DateTime?)null : reader.GetFieldValue<DateTime>(0);
            var age = oldest is { } t ? Math.Max(0, (now.UtcDateTime - t).TotalSeconds) : 0;
            readings[i] = new Reading(probes[i].Outbox, age, reader.GetInt64(1));
        }
        return readings;
    }
}
