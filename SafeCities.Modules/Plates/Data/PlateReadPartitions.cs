using System.Collections.Concurrent;
using Npgsql;

namespace SafeCities.Modules.Plates.Data;

/// <summary>
/// The day partitions of <c>plates.plate_reads</c> (<c>plate_reads_pYYYYMMDD</c>, UTC days of captured_at). Made ahead by the
/// hourly <c>plates:partitions</c> job and at start-up, and on demand before a batch holding a day without one is copied, so
/// no read is ever refused or dropped for want of a partition (there is no default partition). Remembers the days it has
/// seen on this node so that the ingestion path costs nothing once a day exists.
/// </summary>
internal sealed class PlateReadPartitions(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<DateOnly, byte> known = new();

    public static DateOnly DayOf(DateTime capturedUtc) => DateOnly.FromDateTime(capturedUtc);

    public static string NameOf(DateOnly day) => $"plate_reads_p{day:yyyyMMdd}";

    /// <summary>Makes sure the partitions of these days exist (one statement, its own transaction); returns how many it created.</summary>
    public async Task<int> EnsureAsync(IEnumerable<DateOnly> days, CancellationToken ct)
    {
        var missing = days.Distinct().Where(d => !known.ContainsKey(d)).ToArray();
        if (missing.Length == 0)
            return 0;
        await using var command = dataSource.CreateCommand("SELECT count(*) FILTER (WHERE plates.ensure_plate_read_partition(d))::int FROM unnest(@days) AS d");
        command.Parameters.AddWithValue("days", missing);
        var created = (int)(await command.ExecuteScalarAsync(ct))!;
        foreach (var day in missing)
            known[day] = 0;
        return created;
    }

    /// <summary>Forgets what this node knows (a partition was dropped by retention, or a copy found one missing).</summary>
    public void Forget() => known.Clear();

    /// <summary>The day partitions that exist, oldest first.</summary>
    public async Task<IReadOnlyList<DateOnly>> ListAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'plates.plate_reads'::regclass ORDER BY c.relname
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var days = new List<DateOnly>();
        while (await reader.ReadAsync(ct))
            if (DateOnly.TryParseExact(reader.GetString(0).Replace("plate_reads_p", "", StringComparison.Ordinal), "yyyyMMdd", out var day))
                days.Add(day);
        return days;
    }
}
