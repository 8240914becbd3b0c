using Npgsql;

namespace SafeCities.Benchmarks.Nodes;

/// <summary>A fresh database (PostGIS and pg_trgm enabled) on the local cluster for one test or benchmark run, dropped afterwards.</summary>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string admin;

    private ScratchDatabase(string admin, string name)
    {
        this.admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    /// <summary>SAFECITIES_TEST_PG (scripts/test and scripts/bench set it), else the local cluster's default address.</summary>
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("SAFECITIES_TEST_PG") ?? "Host=127.0.0.1;Port=55432;Database=postgres;Username=postgres;Password=postgres";

    public static async Task<ScratchDatabase> CreateAsync(string prefix)
    {
        var database = new ScratchDatabase(AdminConnectionString, $"{prefix}_{Guid.NewGuid():N}");
        await ExecuteAsync(database.admin, $"CREATE DATABASE \"{database.Name}\"");
        await database.ExecuteAsync("CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pg_trgm;");
        return database;
    }

    public Task<int> ExecuteAsync(string sql) => ExecuteAsync(ConnectionString, sql);

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task<List<string>> StringsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
            values.Add(reader.GetString(0));
        return values;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        // SAFECITIES_BENCH_KEEP=1 keeps the database for a look at its plans afterwards (drop it by hand).
        if (Environment.GetEnvironmentVariable("SAFECITIES_BENCH_KEEP") == "1")
        {
            Console.Error.WriteLine($"kept database {Name} (SAFECITIES_BENCH_KEEP=1)");
            return;
        }
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private static async Task<int> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }
}
