using Npgsql;

namespace SafeCities.Tests.Infrastructure;

/// <summary>
/// Row counts of every table of some schemas (a module's, the audit log's), taken in one statement: what "writes nothing" means for a whole
/// module. Keeps one connection open for tests that take many.
/// </summary>
public sealed class TableCounts(string connectionString) : IAsyncDisposable
{
    private readonly Dictionary<string, string> statements = [];
    private NpgsqlConnection? db;

    public async Task<IReadOnlyDictionary<string, long>> TakeAsync(params string[] schemas)
    {
        if (db is null)
        {
            db = new NpgsqlConnection(connectionString);
            await db.OpenAsync();
        }
        var key = string.Join(",", schemas);
        if (!statements.TryGetValue(key, out var sql))
        {
            var tables = new List<string>();
            await using (var list = new NpgsqlCommand("""
                SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ANY(@schemas) AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1
                """, db))
            {
                list.Parameters.AddWithValue("schemas", schemas);
                await using var reader = await list.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    tables.Add(reader.GetString(0));
            }
            statements[key] = sql = tables.Count == 0 ? "SELECT '', 0::bigint WHERE false"
                : string.Join(" UNION ALL ", tables.Select(t => $"SELECT '{t}', count(*) FROM {t}"));
        }
        var counts = new Dictionary<string, long>();
        await using var command = new NpgsqlCommand(sql, db);
        await using var rows = await command.ExecuteReaderAsync();
        while (await rows.ReadAsync())
            counts[rows.GetString(0)] = rows.GetInt64(1);
        return counts;
    }

    /// <summary>The tables whose counts differ ("" when none), e.g. <c>plates.hotlists 3 → 4</c>.</summary>
    public static string Changes(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        string.Join(", ", after.Where(a => before.GetValueOrDefault(a.Key) != a.Value).Select(a => $"{a.Key} {before.GetValueOrDefault(a.Key)} → {a.Value}"));

    public async ValueTask DisposeAsync()
    {
        if (db is not null)
            await db.DisposeAsync();
    }
}
