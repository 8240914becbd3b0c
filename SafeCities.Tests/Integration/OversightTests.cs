using Mediator;
using SafeCities.Modules.Shared.Audit;
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
    [InlineData(Roles.Oversight, "/Oversight")]
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

    [Fact]
    public async Task The_overview_counts_each_persons_look_ups_purposes_and_other_entries_in_the_period_without_the_platforms_own()
    {
        // A day of its own (2020-03-02 UTC) that no other test writes to, with three people, the platform, and entries just outside it.
        var (a, b, c) = ("ova-" + IntelApi.Unique("a"), "ovb-" + IntelApi.Unique("b"), "ovc-" + IntelApi.Unique("c"));
        await app.ExecuteAsync($"""
            INSERT INTO audit.entries (at, actor, module, action, purpose, details) VALUES
              ('2020-03-02T08:00Z', '{a}', 'Platform', 'test-lookup', 'case 1', '{"{}"}'), ('2020-03-02T09:00Z', '{a}', 'Platform', 'test-lookup', 'case 1', '{"{}"}'),
              ('2020-03-02T10:00Z', '{a}', 'Platform', 'test-lookup', 'case 2', '{"{}"}'), ('2020-03-02T11:00Z', '{a}', 'Platform', 'test-change', NULL, '{"{}"}'),
              ('2020-03-02T12:00Z', '{b}', 'Platform', 'test-lookup', 'case 3', '{"{}"}'),
              ('2020-03-02T12:30Z', '{c}', 'Platform', 'test-change', NULL, '{"{}"}'), ('2020-03-02T12:40Z', '{c}', 'Platform', 'test-change', NULL, '{"{}"}'),
              ('2020-03-02T13:00Z', 'system', 'Platform', 'test-lookup', 'automatic', '{"{}"}'),
              ('2020-03-01T23:59Z', '{b}', 'Platform', 'test-lookup', 'case 4', '{"{}"}'), ('2020-03-03T00:00Z', '{b}', 'Platform', 'test-lookup', 'case 5', '{"{}"}')
            """);
        var (from, to) = (new DateTimeOffset(2020, 3, 2, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2020, 3, 3, 0, 0, 0, TimeSpan.Zero));
        var reviewer = "ovr-" + IntelApi.Unique("r");
        Task<AuditByPersonDto> SummaryAsync(int limit, string? person = null) => app.InScopeAsync(async sp =>
            await sp.GetRequiredService<ISender>().Send(new SummarizeAuditByPersonQuery(reviewer, from, to, person, limit)));

        var all = await SummaryAsync(50);
        Assert.Equal([(a, 3, 2, 1), (b, 1, 1, 0), (c, 0, 0, 2)], all.Rows.Select(r => (r.Actor, r.LookUps, r.Purposes, r.Other)).ToArray());
        Assert.Equal(new DateTimeOffset(2020, 3, 2, 11, 0, 0, TimeSpan.Zero), all.Rows[0].Last);
        Assert.Equal(3, all.People);
        var first = await SummaryAsync(1);
        Assert.Equal((a, 3), (Assert.Single(first.Rows).Actor, first.People));
        // One person, named in any case.
        var one = await SummaryAsync(50, b.ToUpperInvariant());
        Assert.Equal((b, 1, 1), (Assert.Single(one.Rows).Actor, one.Rows[0].LookUps, one.People));
        // Looking is recorded, as the audit log's review is.
        Assert.Equal(3, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE actor = '{reviewer}' AND action = 'audit-review' AND details->>'summary' = 'by-person'"));
    }

    [Fact]
    public async Task The_overview_shows_oversight_the_periods_figures_and_each_person_with_a_link_to_their_audit_log_and_refuses_other_roles()
    {
        var purpose = "case " + IntelApi.Unique("ovw");
        var analystKey = await app.CreateClientKeyAsync(Roles.Analyst);
        using (var analyst = app.Client(analystKey))
            Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync($"api/v1/plates/search?plate=ZV*&{Stated.Query}&purpose={Uri.EscapeDataString(purpose)}")).StatusCode);
        var actor = await app.ScalarAsync<string>($"SELECT actor FROM audit.entries WHERE purpose = '{purpose}'");

        using var oversight = await app.SignedInAsync(await app.CreateUserAsync(Roles.Oversight));
        var home = await oversight.GetAsync("");
        Assert.Equal((HttpStatusCode.Redirect, "/Oversight"), (home.StatusCode, home.Headers.Location!.OriginalString));
        var page = await oversight.GetStringAsync("Oversight");
        foreach (var id in new[] { "figure-cases", "figure-hits", "figure-alerts", "figure-agencies", "oversight-period", "people" })
            Assert.Contains($"id=\"{id}\"", page);
        // One person (the whole test database's people are more than the page lists): the analyst's search, with a link to their audit log.
        var person = await oversight.GetStringAsync($"Oversight?person={Uri.EscapeDataString(actor)}");
        var row = person[person.IndexOf($"data-actor=\"{actor}\"", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Matches("data-role=\"lookups\">1<", row);
        Assert.Matches("data-role=\"purposes\">1<", row);
        Assert.Contains($"href=\"/Audit?actor={Uri.EscapeDataString(actor)}&amp;from=", row);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(person, "<tr data-actor="));
        foreach (var role in new[] { Roles.Commander, Roles.Judge })
        {
            using var other = await app.SignedInAsync(await app.CreateUserAsync(role));
            Assert.Equal(HttpStatusCode.Redirect, (await other.GetAsync("Oversight")).StatusCode);   // to Access denied, as the audit log
        }
    }
}
