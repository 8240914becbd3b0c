using System.Text.Json.Nodes;

namespace SafeCities.Tests.Integration.Audit;

/// <summary>
/// Issue 14, structured purposes (first part): a purpose that is only a vague word ("investigation", "case", "test", "n/a", …) is refused
/// with the reason by every search and record view, through one rule (Shared.Purposes.PurposePolicy); a purpose naming a case passes.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PurposeRefusalTests(AppFixture app)
{
    [Theory]
    [InlineData("investigation")]
    [InlineData("Investigation.")]
    [InlineData("  CASE ")]
    [InlineData("n/a.")]
    [InlineData("ongoing   investigation")]
    [InlineData("test")]
    public async Task A_vague_purpose_is_refused_with_the_reason_by_every_search_kind(string purpose)
    {
        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        var p = Uri.EscapeDataString(purpose);
        var before = await app.CountAsync("SELECT count(*) FROM audit.entries WHERE action IN ('search', 'view-person', 'vehicle-sightings')");
        foreach (var url in new[] { $"api/v1/plates/search?plate=AB*&purpose={p}", $"api/v1/intelligence/search?name=Smith&purpose={p}",
                                    $"api/v1/intelligence/persons/{Guid.NewGuid()}?purpose={p}" })
        {
            var response = await commander.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {response.StatusCode}");
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Contains("too vague", problem["errors"]!.ToJsonString(), StringComparison.Ordinal);
        }
        Assert.Equal(before, await app.CountAsync("SELECT count(*) FROM audit.entries WHERE action IN ('search', 'view-person', 'vehicle-sightings')"));
    }

    [Fact]
    public async Task A_purpose_naming_the_case_passes()
    {
        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        var purpose = Uri.EscapeDataString("case 2026-000123, burglary investigation");
        (await commander.GetAsync($"api/v1/plates/search?plate=AB*&purpose={purpose}")).EnsureSuccessStatusCode();
        (await commander.GetAsync($"api/v1/intelligence/search?name=Smith&purpose={purpose}")).EnsureSuccessStatusCode();
    }
}
