using System.Collections.Concurrent;
using Npgsql;

namespace SafeCities.Modules.Shared.Persistence;

/// <summary>
/// The day partitions of a table partitioned by range of a timestamp (<c>{table}_pYYYYMMDD</c>, UTC days), made by the table's
/// <c>{schema}.{ensureFunction}(day)</c> SQL function (written by the module's migration). Made ahead by a job and on demand before a batch
/// holding a day without one is written, so nothing is ever refused or dropped for want of a partition (there is no default partition).
/// Remembers the days it has seen on this node so that the ingestion path costs nothing once a day exists.
/// </summary>
internal class DayPartitions(NpgsqlDataSource dataSource, string schema, string table, string ensureFunction)
{
    private readonly ConcurrentDictionary<DateOnly, byte> known = new();

    public static DateOnly DayOf(DateTime utc) => DateOnly.FromDateTime(utc);

    public string Table => $"{schema}.{table}";

    public string PartitionOf(DateOnly day) => $"{table}_p{day:yyyyMMdd}";

    /// <summary>Makes sure the partitions of these days exist (one statement, its own transaction); returns how many it created.</summary>
    public async Task<int> EnsureAsync(IEnumerable<DateOnly> days, CancellationToken ct)
    {
        var missing = days.Distinct().Where(d => !known.ContainsKey(d)).ToArray();
        if (missing.Length == 0)
            return 0;
        await using var command = dataSource.CreateCommand($"SELECT count(*) FILTER (WHERE {schema}.{ensureFunction}(d))::int FROM unnest(@days) AS d");
        command.Parameters.AddWithValue("days", missing);
        var created = (int)(await command.ExecuteScalarAsync(ct))!;
        foreach (var day in missing)
            known[day] = 0;
        return created;
    }

    /// <summary>Forgets what this node knows (a partition was dropped by retention, or a write found one missing).</summary>
    public void Forget() => known.Clear();

    /// <summary>The day partitions that exist, oldest first.</summary>
    public async Task<IReadOnlyList<DateOnly>> ListAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = '{schema}.{table}'::regclass ORDER BY c.relname
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var days = new List<DateOnly>();
        while (await reader.ReadAsync(ct))
            if (DateOnly.TryParseExact(reader.GetString(0).Replace($"{table}_p", "", StringComparison.Ordinal), "yyyyMMdd", out var day))
                days.Add(day);
        return days;
    }
}
