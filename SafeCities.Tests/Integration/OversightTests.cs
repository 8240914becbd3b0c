using SafeCities.Tests.Integration.Intelligence;

namespace SafeCities.Tests.Integration;

/// <summary>
/// The oversight role reviews the audit log (who searched what and why), through the page, the API and a CSV export, and sees no
/// operational data; reviewing is itself audited.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class OversightTests(AppFixture app)
{
    [Fact]
    public async Task Oversight_reviews_who_searched_plates_and_why_and_the_review_is_itself_audited()
    {
        var purpose = "=case " + IntelApi.Unique("ovr");   // a leading '=' must not become a spreadsheet formula in the export
        var analystKey = await app.CreateClientKeyAsync(Roles.Analyst);
        using (var analyst = app.Client(analystKey))
            Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync($"api/v1/plates/search?plate=ZQ*&{Stated.Query}&purpose={Uri.EscapeDataString(purpose)}")).StatusCode);

        var reviewer = await app.CreateUserAsync(Roles.Oversight);
        using var oversight = await app.SignedInAsync(reviewer);

        var review = await (await oversight.GetAsync($"api/v1/audit?module=Plates&purpose={Uri.EscapeDataString(purpose[1..])}")).ReadJsonAsync();
        var entry = Assert.Single(review["entries"]!.AsArray())!;
        Assert.Equal("search", entry["action"]!.GetValue<string>());
        Assert.Equal(purpose, entry["purpose"]!.GetValue<string>());
        Assert.Contains("ZQ*", entry["details"]!.GetValue<string>());
        Assert.Contains("test-Analyst-", entry["actor"]!.GetValue<string>());
        var today = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd");
        Assert.Contains(review["perDay"]!.AsArray(), d => d!["day"]!.GetValue<string>() == today && d["action"]!.GetValue<string>() == "search"
                                                           && d["count"]!.GetValue<int>() == 1);

        var page = await oversight.GetStringAsync($"Audit?purpose={Uri.EscapeDataString(purpose[1..])}");
        Assert.Contains(System.Net.WebUtility.HtmlEncode(purpose), page);
        Assert.Contains("id=\"audit-chart\"", page);

        var csv = await oversight.GetStringAsync($"api/v1/audit/export?purpose={Uri.EscapeDataString(purpose[1..])}");
        Assert.StartsWith("id,at,actor,module,action,purpose,details,prev_hash,hash\n", csv);
        Assert.Contains(",'" + purpose + ",", csv);

        Assert.True(await app.CountAsync($"""
            SELECT count(*) FROM audit.entries WHERE actor = '{reviewer}' AND action = 'audit-review' AND details->>'purpose' = '{purpose[1..]}'
            """) >= 3);
    }

    [Fact]
    public async Task Oversight_sees_no_operational_data_and_only_reviewers_read_the_log()
    {
        var reviewer = await app.CreateUserAsync(Roles.Oversight);
        using var oversight = await app.SignedInAsync(reviewer);
        foreach (var api in new[] { "api/v1/incidents", $"api/v1/plates/search?plate=ABC1234&{Stated.Query}&purpose=curiosity", "api/v1/plates/hits",
                     "api/v1/officers/positions", "api/v1/plates/hotlists" })
            Assert.Equal(HttpStatusCode.Forbidden, (await oversight.GetAsync(api)).StatusCode);
        foreach (var page in new[] { "", "Plates/Search", "Plates/Hits", "Admin/Devices" })
            Assert.Equal(HttpStatusCode.Redirect, (await oversight.GetAsync(page)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await oversight.GetAsync("api/v1/audit?from=2026-05-02&to=2026-05-01")).StatusCode);

        foreach (var role in new[] { Roles.Analyst, Roles.Commander, Roles.Judge })
        {
            using var other = await app.SignedInAsync(await app.CreateUserAsync(role));
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("api/v1/audit")).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await other.GetAsync("Audit")).StatusCode);
        }
    }

    [Theory]
    [InlineData(Roles.Oversight, "/Audit")]
    [InlineData(Roles.Judge, "/Intelligence/Search")]
    [InlineData(Roles.Officer, "/")]
    public async Task Each_role_lands_on_its_own_start_page(string role, string home)
    {
        var email = await app.CreateUserAsync(role);
        using var client = app.Client();
        var signIn = await client.SignInAsync(email, AppFixture.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(home, signIn.Headers.Location!.OriginalString);
    }
}
