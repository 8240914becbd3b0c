using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Caching.Memory;
using SafeCities.Modules.Platform.Reports;
using SafeCities.Modules.Shared.Time;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Integration.Platform;

/// <summary>
/// Complaints, violations and costs per technology (ADR 0052): the oversight body records cases, administrators and oversight enter costs;
/// hostile input is refused with nothing written; every change is audited with before and after; the annual report (JSON and page) shows
/// counts, outcomes and costs equal to the database, and never a summary.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class OversightRecordsTests(AppFixture app)
{
    private const int Year = 2021;   // a past year no other test records cases or costs in

    private string Zone => CityZone.Id(app.Services.GetRequiredService<IConfiguration>());

    [Fact]
    public async Task Oversight_records_cases_administrators_enter_costs_and_the_report_shows_counts_outcomes_and_costs_only()
    {
        using var oversight = app.Client(await app.CreateClientKeyAsync(Roles.Oversight));
        using var admin = app.AdminClient();
        var secret = Unique("Officer Smith looked up his neighbour ");

        // Only the oversight body records cases (not the administrators it oversees, not staff).
        var complaint = new { technology = "plate-readers", kind = "complaint", receivedOn = $"{Year}-03-04", summary = secret, status = "open" };
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsJsonAsync("api/v1/oversight/cases", complaint)).StatusCode);
        using (var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst)))
            Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("api/v1/oversight/cases")).StatusCode);
        var before = await app.CountAsync("SELECT count(*) FROM platform.oversight_cases");

        // Hostile or wrong input: 400 naming the field, nothing written.
        foreach (var (bad, field) in new (object, string)[]
                 {
                     (new { technology = "plate-readers", kind = "complaint", receivedOn = "1900-01-01", summary = "s", status = "open" }, "receivedOn"),
                     (new { technology = "plate-readers", kind = "complaint", receivedOn = "2999-01-01", summary = "s", status = "open" }, "receivedOn"),
                     (new { technology = "drones", kind = "complaint", receivedOn = $"{Year}-03-04", summary = "s", status = "open" }, "technology"),
                     (new { technology = "plate-readers", kind = "gripe", receivedOn = $"{Year}-03-04", summary = "s", status = "open" }, "kind"),
                     (new { technology = "plate-readers", kind = "complaint", receivedOn = $"{Year}-03-04", summary = " ", status = "open" }, "summary"),
                     (new { technology = "plate-readers", kind = "complaint", receivedOn = $"{Year}-03-04", summary = "s", status = "closed" }, "finding"),
                     (new { technology = "plate-readers", kind = "complaint", receivedOn = $"{Year}-03-04", summary = "s", status = "open", finding = "sustained" }, "finding"),
                 })
        {
            var refused = await oversight.PostAsJsonAsync("api/v1/oversight/cases", bad);
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{field}: {(int)refused.StatusCode} {await refused.Content.ReadAsStringAsync()}");
            Assert.NotNull((await refused.ReadJsonAsync())["errors"]![field]);
        }
        var malformed = await oversight.PostAsync("api/v1/oversight/cases",
            new StringContent("""{"technology":"plate-readers","kind":"complaint","receivedOn":"04/03/2021","summary":"s","status":"open"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(before, await app.CountAsync("SELECT count(*) FROM platform.oversight_cases"));

        // Two complaints (one closed as sustained with training) and a violation found, closed with access revoked.
        var created = await oversight.PostAsJsonAsync("api/v1/oversight/cases", complaint);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadJsonAsync())["id"]!.GetValue<Guid>();
        var closed = await oversight.PutAsJsonAsync($"api/v1/oversight/cases/{id}", new
        {
            complaint.technology, complaint.kind, complaint.receivedOn, complaint.summary, status = "closed", finding = "sustained", action = "training",
            actionNotes = "Officer Smith retrained",
        });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await oversight.PutAsJsonAsync($"api/v1/oversight/cases/{Guid.NewGuid()}", complaint)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await oversight.PostAsJsonAsync("api/v1/oversight/cases", complaint with { summary = Unique("second ") })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await oversight.PostAsJsonAsync("api/v1/oversight/cases", new
        {
            technology = "plate-readers", kind = "violation", receivedOn = $"{Year}-07-01", summary = Unique("search without a case "), status = "closed",
            finding = "sustained", action = "access-revoked",
        })).StatusCode);
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM audit.entries WHERE action = 'change-oversight-case' AND details->'before'->>'status' = 'open'
              AND details->'after'->>'status' = 'closed' AND details->'after'->>'id' = '{id}'
            """));

        // Costs: administrators and oversight; negative, fractional cents, absurd years, duplicates refused.
        var personnel = new { technology = "plate-readers", year = Year, category = "personnel", amount = 120000.50m, fundingSource = Unique("General fund ") };
        foreach (var (bad, field) in new (object, string)[]
                 {
                     (personnel with { amount = -1m }, "amount"), (personnel with { amount = 1.001m }, "amount"), (personnel with { year = 1999 }, "year"),
                     (personnel with { category = "snacks" }, "category"), (personnel with { fundingSource = "" }, "fundingSource"),
                 })
        {
            var refused = await admin.PostAsJsonAsync("api/v1/oversight/costs", bad);
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{field}: {(int)refused.StatusCode} {await refused.Content.ReadAsStringAsync()}");
            Assert.NotNull((await refused.ReadJsonAsync())["errors"]![field]);
        }
        var cost = await admin.PostAsJsonAsync("api/v1/oversight/costs", personnel);
        Assert.Equal(HttpStatusCode.Created, cost.StatusCode);
        var costId = (await cost.ReadJsonAsync())["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("api/v1/oversight/costs", personnel)).StatusCode);   // the same line twice
        Assert.Equal(HttpStatusCode.Created, (await oversight.PostAsJsonAsync("api/v1/oversight/costs",
            personnel with { category = "licences", amount = 30000m })).StatusCode);
        var temporary = (await (await admin.PostAsJsonAsync("api/v1/oversight/costs", personnel with { category = "other", amount = 5m })).ReadJsonAsync())["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"api/v1/oversight/costs/{temporary}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"api/v1/oversight/costs/{costId}", personnel with { amount = 125000m })).StatusCode);
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM audit.entries WHERE action = 'change-technology-cost' AND (details->'before'->>'amount')::numeric = 120000.50
              AND (details->'after'->>'amount')::numeric = 125000 AND details->'after'->>'id' = '{costId}'
            """));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'delete-technology-cost' AND details->'before'->>'id' = '{temporary}'"));

        // The report: counts and outcomes equal to the database, costs as entered, no summary or note.
        app.Services.GetRequiredService<IMemoryCache>().Remove(GetAnnualReportQueryHandler.CacheKey(Year, Zone));
        using var anonymous = app.Client();
        var json = await (await anonymous.GetAsync($"api/v1/transparency/reports/{Year}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Smith", json);
        var plates = JsonNode.Parse(json)!["technologies"]!.AsArray().Single(t => t!["technology"]!.GetValue<string>() == "plate-readers")!["oversight"]!;
        var complaints = plates["complaints"]!;
        const string Where = "technology = 'plate-readers' AND received_on >= '2021-01-01' AND received_on < '2022-01-01'";
        Assert.Equal(await app.CountAsync($"SELECT count(*) FROM platform.oversight_cases WHERE kind = 'complaint' AND {Where}"), complaints["received"]!.GetValue<int>());
        Assert.Equal(await app.CountAsync($"SELECT count(*) FROM platform.oversight_cases WHERE kind = 'complaint' AND status = 'open' AND {Where}"),
            complaints["open"]!.GetValue<int>());
        Assert.Equal(await app.CountAsync($"SELECT count(*) FROM platform.oversight_cases WHERE kind = 'complaint' AND finding = 'sustained' AND {Where}"),
            complaints["findings"]!["sustained"]!.GetValue<int>());
        Assert.Equal(await app.CountAsync($"SELECT count(*) FROM platform.oversight_cases WHERE kind = 'violation' AND action = 'access-revoked' AND {Where}"),
            plates["violations"]!["actions"]!["access-revoked"]!.GetValue<int>());
        var lines = plates["costs"]!.AsArray();
        Assert.Contains(lines, l => l!["fundingSource"]!.GetValue<string>() == personnel.fundingSource && l["category"]!.GetValue<string>() == "personnel"
                                    && l["amount"]!.GetValue<decimal>() == 125000m);
        Assert.Equal(await app.CountAsync($"SELECT (sum(amount) * 100)::bigint FROM platform.technology_costs WHERE technology = 'plate-readers' AND year = {Year}"),
            (long)(plates["totalCost"]!.GetValue<decimal>() * 100));
        var cameras = JsonNode.Parse(json)!["technologies"]!.AsArray().Single(t => t!["technology"]!.GetValue<string>() == "cameras")!["oversight"]!;
        Assert.Empty(cameras["costs"]!.AsArray());

        var page = await anonymous.GetStringAsync($"Transparency/Reports/{Year}");
        Assert.DoesNotContain("Smith", page);
        Assert.Contains(personnel.fundingSource, page);
        Assert.Contains("sustained", page);

        // Oversight reads the summaries on its page; an administrator reads them too but has no form to record one.
        using var reviewer = await app.SignedInAsync(await app.CreateUserAsync(Roles.Oversight));
        var cases = await reviewer.GetStringAsync($"Oversight/Cases?year={Year}");
        Assert.Contains(System.Net.WebUtility.HtmlEncode(secret), cases);
        Assert.Contains("id=\"case-form\"", cases);
        using var adminPage = await app.SignedInAsync(Users.Admin);
        Assert.DoesNotContain("id=\"case-form\"", await adminPage.GetStringAsync($"Oversight/Cases?year={Year}"));
        var form = await reviewer.PostFormAsync("Oversight/Cases", [new("Input.Technology", "cameras"), new("Input.Kind", "complaint"),
            new("Input.ReceivedOn", "2150-01-01"), new("Input.Summary", "x"), new("Input.Status", "open")]);
        Assert.Contains("in the future", form);
    }
}
