using System.Security.Claims;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Npgsql;
using SafeCities.Web.Platform.Observability;

namespace SafeCities.Tests.Unit;

/// <summary>
/// The real health registrations and endpoints in a small host whose PostgreSQL, Hangfire storage and Redis all point at a closed
/// port on loopback (nothing listens on port 1): the outage the app's own tests cannot cause without stopping the shared cluster.
/// </summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private const string ClosedDatabase = "Host=127.0.0.1;Port=1;Database=x;Username=x;Password=secret-password;Timeout=2";
    private WebApplication host = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["ConnectionStrings:Redis"] = "127.0.0.1:1,password=secret-password";
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(NpgsqlDataSource.Create(ClosedDatabase));
        var hangfire = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false };
        builder.Services.AddSingleton<JobStorage>(new PostgreSqlStorage(new NpgsqlConnectionFactory(ClosedDatabase, hangfire), hangfire));
        builder.Services.AddAuthentication();
        builder.Services.AddAuthorization(Policies.Configure);
        builder.Services.AddSafeCitiesHealthChecks(builder.Configuration);
        host = builder.Build();
        // Stands in for a signed-in administrator (the real sign-in is covered by the app's own tests).
        host.Use((http, next) =>
        {
            if (http.Request.Headers.ContainsKey("X-Test-Administrator"))
                http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, Roles.Administrator)], "test"));
            return next(http);
        });
        host.MapSafeCitiesHealthChecks();
        await host.StartAsync();
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task With_every_dependency_down_readiness_is_503_naming_each_and_liveness_stays_200()
    {
        using var client = host.GetTestClient();

        var ready = await client.GetAsync("/health/ready");
        var text = await ready.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = JsonNode.Parse(text)!;
        Assert.Equal("Unhealthy", body["status"]!.GetValue<string>());
        var checks = body["checks"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["status"]!.GetValue<string>());
        Assert.Equal("Unhealthy", checks["database"]);
        Assert.Equal("Unhealthy", checks["hangfire-storage"]);
        Assert.Equal("Unhealthy", checks["redis"]);
        Assert.Equal("Degraded", checks["database-durability"]);   // cannot tell while the database is down
        foreach (var secret in new[] { "secret-password", "127.0.0.1", "Exception", "description" })
            Assert.DoesNotContain(secret, text);

        var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", (await live.ReadJsonAsync())["status"]!.GetValue<string>());

        var legacy = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, legacy.StatusCode);
        Assert.Equal("Unhealthy", await legacy.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Administrators_get_descriptions_but_still_no_exception_text_or_connection_details()
    {
        using var client = host.GetTestClient();
        client.DefaultRequestHeaders.Add("X-Test-Administrator", "1");
        var text = await (await client.GetAsync("/health/ready")).Content.ReadAsStringAsync();
        var descriptions = JsonNode.Parse(text)!["checks"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["description"]!.GetValue<string>());
        Assert.Equal("Database unreachable.", descriptions["database"]);
        Assert.Equal("Hangfire storage unreachable.", descriptions["hangfire-storage"]);
        Assert.Equal("Redis unreachable.", descriptions["redis"]);
        Assert.Equal("The database settings could not be read.", descriptions["database-durability"]);
        foreach (var secret in new[] { "secret-password", "127.0.0.1", "Exception" })
            Assert.DoesNotContain(secret, text);
    }
}
