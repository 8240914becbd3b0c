using Npgsql;

namespace SafeCities.Tests.Integration.Platform;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DatabaseSettingsTests(AppFixture app)
{
    [Fact]
    public async Task The_apps_connections_run_without_the_JIT()
    {
        var jit = await app.InScopeAsync(async s =>
        {
            await using var command = s.GetRequiredService<NpgsqlDataSource>().CreateCommand("SHOW jit");
            return (string?)await command.ExecuteScalarAsync();
        });
        Assert.Equal("off", jit);
    }
}
