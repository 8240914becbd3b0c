using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Npgsql;
using SafeCities.Modules.Platform.ApiKeys;

namespace SafeCities.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}

/// <summary>
/// The real application on Kestrel (127.0.0.1, random port) against a fresh PostgreSQL database created for this test run
/// and dropped afterwards. Requires SAFECITIES_TEST_PG (scripts/test sets it).
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    public const string DemoPassword = "Test-password-123";
    public string AdminKey { get; } = ApiKeyService.NewKey();
    public string DatabaseName { get; } = $"safecities_test_{Guid.NewGuid():N}";
    public string ConnectionString { get; private set; } = "";
    public Uri BaseAddress { get; private set; } = null!;
    /// <summary>The Prometheus scrape endpoint (its own listener on loopback, not the app's port).</summary>
    public Uri MetricsAddress { get; } = new($"http://127.0.0.1:{FreeLoopbackPort()}/metrics");

    /// <summary>The app's MQTT endpoint for sensor readings (127.0.0.1).</summary>
    public int MqttPort { get; } = FreeLoopbackPort();

    /// <summary>The SMTP port public-alert e-mail goes to (127.0.0.1, no TLS); a test that sends e-mail starts its own listener on it.</summary>
    public int SmtpPort { get; } = FreeLoopbackPort();
    internal SafeCitiesFactory Factory { get; private set; } = null!;
    /// <summary>What the app logged at warning level or above (e.g. to show that no request ended in an unhandled exception).</summary>
    public CapturedLogs Logs { get; } = new();
    public IServiceProvider Services => Factory.Services;

    private string adminConnectionString = "";

    public async Task InitializeAsync()
    {
        adminConnectionString = Environment.GetEnvironmentVariable("SAFECITIES_TEST_PG")
            ?? throw new InvalidOperationException("SAFECITIES_TEST_PG is not set: run the tests with scripts/test (it starts a local PostgreSQL).");
        await using (var admin = new NpgsqlConnection(adminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = DatabaseName, MaxPoolSize = 50 }.ConnectionString;
        await using (var db = new NpgsqlConnection(ConnectionString))
        {
            await db.OpenAsync();
            await using var ext = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pg_trgm;", db);
            await ext.ExecuteNonQueryAsync();
        }
        Factory = new SafeCitiesFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:SafeCities"] = ConnectionString,
            ["Bootstrap:AdminApiKey"] = AdminKey,
            ["Demo:Enabled"] = "false",
            ["Demo:SeedUsers"] = "true",
            ["Demo:UserPassword"] = DemoPassword,
            ["Demo:Simulator:Enabled"] = "false",
            ["Hangfire:ServerEnabled"] = "false",
            ["Map:TileUrl"] = "",
            // Plain http on 127.0.0.1: HttpClient's cookie container would not send Secure cookies back. Cookies are then Secure only over
            // HTTPS (directly or per X-Forwarded-Proto); WebSecurityTests checks both this and the production default.
            ["Security:SecureCookies"] = "false",
            // Check the session cookie against the security stamp on every request (production: every minute), so a lock or a role change
            // is seen at once.
            ["Security:StampValidationSeconds"] = "0",
            ["Metrics:Port"] = MetricsAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mqtt:Port"] = MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Outside Development every person must set up a second factor; the suite signs in with passwords, so the requirement is off here
            // and the MFA tests switch it on for themselves (MfaKit.RequireMfa).
            ["Security:Mfa:Required"] = "false",
            // The live relay stops a camera's ffmpeg after this long without a request (LiveStreamTests waits for it).
            ["Video:Live:IdleStopSeconds"] = "4",
            // Evidence clips go to a folder of this run, not the source tree.
            ["Video:Evidence:Directory"] = Path.Combine(Path.GetTempPath(), $"safecities-evidence-{Guid.NewGuid():N}"),
            // "Save clip" without a length records this long (production: 30 s).
            ["Video:Evidence:DefaultClipSeconds"] = "3",
            // Automatic clips of a bookmark window (5 min in production settings) stop after this long here (production: 600 s).
            ["Video:Evidence:MaxAutoClipSeconds"] = "4",
            // Cameras with a recordingSystemId are exported by the simulated recorder (AutomaticClipTests).
            ["Video:Evidence:SimulatedRecorder"] = "true",
            // Public-alert deliveries are sent by the tests themselves (SubscriberDeliverySender), in the order a test needs.
            ["Alerts:Subscribers:SenderEnabled"] = "false",
            ["Alerts:Subscribers:Smtp:Port"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Alerts:Subscribers:Smtp:Security"] = "None",
        }, Logs);
        Factory.StartServer();
        BaseAddress = new Uri(Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
            { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (apiKey is not null)
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public HttpClient AdminClient() => Client(AdminKey);

    /// <summary>A machine client with the given role (created through the same service the admin page uses).</summary>
    public async Task<string> CreateClientKeyAsync(string role)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateClientAsync($"test-{role}-{Guid.NewGuid():N}", role, "tests", default);
    }

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public async Task<long> CountAsync(string sql) => Convert.ToInt64(await ScalarAsync<object?>(sql));

    /// <summary>The first column of the first row <paramref name="sql"/> returns, as Npgsql reads it.</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var db = new NpgsqlConnection(ConnectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, db);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Row counts of every table of the schemas (compare two with <see cref="TableCounts.Changes"/>).</summary>
    public async Task<IReadOnlyDictionary<string, long>> RowsAsync(params string[] schemas)
    {
        await using var counts = new TableCounts(ConnectionString);
        return await counts.TakeAsync(schemas);
    }

    /// <summary>Runs a statement directly against the test database (arranging a scenario); the number of rows it touched.</summary>
    public async Task<int> ExecuteAsync(string sql)
    {
        await using var db = new NpgsqlConnection(ConnectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, db);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Until the result is disposed, the database refuses rows inserted into <paramref name="table"/> that match <paramref name="when"/> (a
    /// condition on <c>NEW</c>), raising <paramref name="message"/>: a failure injected at one step of a request, as when its node dies there.
    /// </summary>
    public async Task<IAsyncDisposable> RefuseInsertsAsync(string table, string when, string message)
    {
        var name = $"test_refuse_{Guid.NewGuid():N}";
        var function = $"{table.Split('.')[0]}.{name}";
        await ExecuteAsync($"""
            CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF {when} THEN RAISE EXCEPTION '{message}'; END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER {name} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();
            """);
        return new Refusal(() => ExecuteAsync($"DROP TRIGGER {name} ON {table}; DROP FUNCTION {function}();"));
    }

    private sealed class Refusal(Func<Task> lift) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await lift();
    }

    public async Task DisposeAsync()
    {
        if (Factory is not null)
            await Factory.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(adminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

internal sealed class SafeCitiesFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> settings;
    private readonly CapturedLogs? logs;

    public SafeCitiesFactory(IReadOnlyDictionary<string, string?> settings, CapturedLogs? logs = null)
    {
        this.settings = settings;
        this.logs = logs;
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseStaticWebAssets();
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
        if (logs is not null)
            builder.ConfigureLogging(l => l.AddProvider(logs));
        builder.UseDefaultServiceProvider(o =>
        {
            o.ValidateScopes = true;
            o.ValidateOnBuild = true;
        });
    }
}

public static class Users
{
    public const string Commander = "commander@safecities.test";
    public const string Officer = "officer@safecities.test";
    public const string Analyst = "analyst@safecities.test";
    public const string Admin = "admin@safecities.test";
    public static readonly string[] StaffRoles = [Roles.Administrator, Roles.Commander, Roles.Officer, Roles.Analyst];
}
