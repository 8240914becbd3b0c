using Microsoft.EntityFrameworkCore;
using Npgsql;
using SafeCities.Modules.Plates.Data;

namespace SafeCities.Tests.Integration.Plates;

/// <summary>
/// ADR 0037: the co-location handler's connection (PlatesDbContext on the app's one data source) runs with JIT off, whatever the
/// operator's connection string says; the same server with the plain connection string does JIT-compile (the control).
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ColocationJitTests(AppFixture app)
{
    // Cheap to run, but with jit_above_cost = 0 PostgreSQL JIT-compiles it whenever jit is on (EXPLAIN ANALYZE then prints "JIT:";
    // only with COSTS on).
    private const string Probe = "EXPLAIN (ANALYZE, TIMING OFF) SELECT sum(g) FROM generate_series(1, 1000) g";

    [Fact]
    public async Task The_colocation_connection_path_runs_with_jit_off_and_the_plain_connection_string_would_not()
    {
        await using (var plain = new NpgsqlConnection(app.ConnectionString))
        {
            await plain.OpenAsync();
            await Exec(plain, "SET jit_above_cost = 0");
            Assert.Equal("on", await Scalar(plain, "SHOW jit"));
            Assert.Contains("JIT:", await Plan(plain));
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatesDbContext>();   // what ColocationCommandHandler uses
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            await Exec(connection, "SET jit_above_cost = 0");
            Assert.Equal("off", await Scalar(connection, "SHOW jit"));
            Assert.DoesNotContain("JIT:", await Plan(connection));
        }
        finally
        {
            await Exec(connection, "RESET jit_above_cost");
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<string> Plan(NpgsqlConnection connection)
    {
        await using var cmd = new NpgsqlCommand(Probe, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
            lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }

    private static async Task<string> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task Exec(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }
}
