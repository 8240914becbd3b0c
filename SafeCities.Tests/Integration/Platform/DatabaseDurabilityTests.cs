using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;
using SafeCities.Web.Platform.Observability;

namespace SafeCities.Tests.Integration.Platform;

/// <summary>
/// The start-up durability check against the test database: the local cluster (scripts/pg-local) runs with fsync,
/// synchronous_commit and full_page_writes off on purpose, so it must be reported, and the app's connections with jit off.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DatabaseDurabilityTests(AppFixture app)
{
    [Fact]
    public async Task The_local_clusters_unsafe_settings_are_found_on_the_apps_connections()
    {
        var found = await new DatabaseDurability(app.Services.GetRequiredService<NpgsqlDataSource>(), TimeProvider.System).UnsafeSettingsAsync(default);
        Assert.Equal(["fsync=off (must be on)", "full_page_writes=off (must be on)", "synchronous_commit=off (must be on)"],
            found.Select(s => s.ToString()));
    }

    [Fact]
    public async Task A_connection_without_jit_off_is_reported_too()
    {
        // The cluster's default (jit=on): what the app's connections would run with if the data source did not turn it off.
        await using var plain = NpgsqlDataSource.Create(app.ConnectionString);
        var found = await new DatabaseDurability(plain, TimeProvider.System).UnsafeSettingsAsync(default);
        var jit = Assert.Single(found, s => s.Name == "jit");
        Assert.Equal(("on", "off on the app's connections"), (jit.Value, jit.Required));
    }

    [Theory]
    [InlineData("Production", true)]
    [InlineData("Testing", true)]
    [InlineData("Development", false)]
    public async Task Start_up_warns_outside_Development_naming_each_setting_and_the_readme_section(string environment, bool warns)
    {
        var logger = new FakeLogger<DurabilityWarningAtStart>();
        var durability = new DatabaseDurability(app.Services.GetRequiredService<NpgsqlDataSource>(), TimeProvider.System);
        await new DurabilityWarningAtStart(durability, new HostingEnvironment { EnvironmentName = environment }, logger).RunAsync(default);

        if (!warns)
        {
            Assert.Equal(0, logger.Collector.Count);
            return;
        }
        var warning = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, warning.Level);
        foreach (var expected in new[] { "fsync=off", "synchronous_commit=off", "full_page_writes=off", "Deployment: the database settings production needs" })
            Assert.Contains(expected, warning.Message);
    }

    [Fact]
    public void The_check_is_one_of_the_apps_start_up_tasks()
    {
        // Start-up tasks run after the migrations (DatabaseMigrator); the fixture's "Testing" environment is not Development.
        using var scope = app.Services.CreateScope();
        Assert.Contains(scope.ServiceProvider.GetServices<SafeCities.Modules.Shared.Persistence.IStartupTask>(), t => t is DurabilityWarningAtStart);
        Assert.False(app.Services.GetRequiredService<IHostEnvironment>().IsDevelopment());
    }
}
