using SafeCities.Modules.Platform.ApiKeys;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Integration.Intelligence;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SearchWithheldTests(AppFixture app)
{
    [Fact]
    public async Task A_search_says_how_many_matches_the_access_rules_withhold_without_returning_them()
    {
        var (jail, jailKey) = await app.RegisterAgencyAsync("jail");
        var (police, _) = await app.RegisterAgencyAsync("police");
        var last = Unique("Withheld");
        var plate = "H" + Unique("")[..6].ToUpperInvariant();
        await app.PushOkAsync(jailKey, Person("P1", "Nora", last, "1985-03-03"), Person("P2", "Nils", last, "1986-04-04"),
            new { kind = "vehicle", sourceId = "V1", personSourceId = "P1", vehicle = new { plate, region = "DC" } });
        using var analyst = app.Client(await app.InScopeAsync(sp =>
            sp.GetRequiredService<ApiKeyService>().CreateClientAsync("withheld analyst", Roles.Analyst, "tests", default, police)));

        var result = await (await analyst.GetAsync($"api/v1/intelligence/search?{Stated.Query}&purpose=withheld {last}&name={last}&plate={plate}")).ReadJsonAsync();
        Assert.Empty(result["persons"]!.AsArray());
        Assert.Empty(result["vehicles"]!.AsArray());
        Assert.Equal(2, result["withheld"]!["persons"]!.GetValue<int>());
        Assert.Equal(1, result["withheld"]!["vehicles"]!.GetValue<int>());
        Assert.Equal(3, result["withheld"]!["total"]!.GetValue<int>());
        Assert.DoesNotContain("Nora", result.ToJsonString(), StringComparison.Ordinal);   // counts only
        Assert.Equal(1, await app.CountAsync(
            $"SELECT count(*) FROM audit.entries WHERE action = 'search' AND purpose = 'withheld {last}' AND details->>'withheld' = '3'"));

        // With a sharing agreement from the jail the same search shows them and withholds nothing.
        using var admin = app.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("api/v1/intelligence/sharing-agreements", new { fromAgencyId = jail, toAgencyId = police })).StatusCode);
        var shared = await (await analyst.GetAsync($"api/v1/intelligence/search?{Stated.Query}&purpose=withheld {last}&name={last}&plate={plate}")).ReadJsonAsync();
        Assert.Equal(2, shared["persons"]!.AsArray().Count);
        Assert.Equal(0, shared["withheld"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_search_page_says_records_are_withheld_instead_of_an_empty_list()
    {
        var (_, jailKey) = await app.RegisterAgencyAsync("jail");
        var last = Unique("Quarantino");
        await app.PushOkAsync(jailKey, Person("P1", "Ines", last, "1979-09-09"));
        var email = await app.CreateUserAsync(Roles.Analyst);   // no agency: the shared scope lets nothing through
        using var analyst = await app.SignedInAsync(email);
        var html = await analyst.GetStringAsync($"/Intelligence/Search?{Stated.Query}&purpose=page+{last}&name={last}");
        Assert.Contains("1 record matches but is withheld by access rules", html, StringComparison.Ordinal);
        Assert.Contains("sharing agreement", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Ines", html, StringComparison.Ordinal);

        var nothing = await analyst.GetStringAsync($"/Intelligence/Search?{Stated.Query}&purpose=page+{last}&name={Unique("Qxv")}");
        Assert.DoesNotContain("withheld by access rules", nothing, StringComparison.Ordinal);
    }
}
