using System.Globalization;
using Npgsql;

namespace SafeCities.Benchmarks;

/// <summary>What the benchmarks share: their integer options and a few statements on the bench database.</summary>
internal static class BenchSupport
{
    /// <summary>The whole number after <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }

    /// <summary>Runs each statement of <paramref name="sql"/> (separated by semicolons) outside a transaction (VACUUM needs that).</summary>
    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        foreach (var statement in sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await using var command = dataSource.CreateCommand(statement);
            await command.ExecuteNonQueryAsync();
        }
    }

    public static async Task<long> CountAsync(NpgsqlDataSource dataSource, string table)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM {table}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<string> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
