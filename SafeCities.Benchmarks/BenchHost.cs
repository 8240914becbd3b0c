using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace SafeCities.Benchmarks;

/// <summary>The real application on Kestrel against a throw-away database on the local cluster (dropped afterwards).</summary>
internal sealed class BenchHost : WebApplicationFactory<Program>
{
    public const string Password = "Bench-password-123";
    public string AdminKey { get; } = "bench-admin-" + Guid.NewGuid().ToString("N");
    public Uri BaseAddress { get; private set; } = null!;
    private readonly string admin;
    private readonly string database;
    private readonly bool ownsDatabase;
    private readonly IReadOnlyDictionary<string, string?> settings;

    private BenchHost(string adminConnectionString, BenchHost? shareDatabaseOf, IReadOnlyDictionary<string, string?>? settings)
    {
        admin = adminConnectionString;
        database = shareDatabaseOf?.database ?? $"safecities_bench_{Guid.NewGuid():N}";
        ownsDatabase = shareDatabaseOf is null;
        if (shareDatabaseOf is not null)
            AdminKey = shareDatabaseOf.AdminKey;
        this.settings = settings ?? new Dictionary<string, string?>();
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>Starts a node on a new database, or another node on the database of <paramref name="shareDatabaseOf"/> (dropped with that one).</summary>
    public static async Task<BenchHost> StartAsync(BenchHost? shareDatabaseOf = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var pg = Environment.GetEnvironmentVariable("SAFECITIES_TEST_PG") ?? "Host=127.0.0.1;Port=55432;Database=postgres;Username=postgres;Password=postgres";
        var host = new BenchHost(pg, shareDatabaseOf, settings);
        if (host.ownsDatabase)
        {
            await host.ExecuteAsync(pg, $"CREATE DATABASE \"{host.database}\"");
            await host.ExecuteAsync(host.ConnectionString, "CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pg_trgm;");
        }
        host.StartServer();
        host.BaseAddress = new Uri(host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return host;
    }

    public string ConnectionString => new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Benchmark");
        builder.UseStaticWebAssets();
        builder.UseSetting("ConnectionStrings:SafeCities", ConnectionString);
        builder.UseSetting("Bootstrap:AdminApiKey", AdminKey);
        builder.UseSetting("Demo:SeedUsers", "true");
        builder.UseSetting("Demo:UserPassword", Password);
        builder.UseSetting("Hangfire:ServerEnabled", "false");
        builder.UseSetting("Map:TileUrl", "");
        builder.UseSetting("Security:Mfa:Required", "false");   // benchmark users sign in with a password only
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (ownsDatabase)
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    }

    private async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
