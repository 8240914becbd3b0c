using System.Text.Json.Nodes;
using SafeCities.Tests.Integration.Intelligence;

namespace SafeCities.Tests.Integration.Audit;

/// <summary>
/// Issue 14, structured purposes (ADR 0047): every search and record view states a case number in the agency's format and an offence from the
/// list, with optional words; a case number in another format, an offence not on the list and a purpose that is only a vague word are refused
/// with the reason (400, nothing audited) by every look-up, through one rule (Shared.Purposes); the audit entry keeps the case number and offence
/// as fields of their own.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PurposeRefusalTests(AppFixture app)
{
    private const string Audited = "SELECT count(*) FROM audit.entries WHERE action IN ('search', 'view-person', 'vehicle-sightings', 'colocation')";

    /// <summary>The four look-ups a person asks for directly, with the given statement (query string).</summary>
    private static IEnumerable<(HttpMethod Method, string Url, string? Body)> LookUps(string statement, JsonObject colocation)
    {
        yield return (HttpMethod.Get, $"api/v1/plates/search?plate=AB*&{statement}", null);
        yield return (HttpMethod.Get, $"api/v1/intelligence/search?name=Smith&{statement}", null);
        yield return (HttpMethod.Get, $"api/v1/intelligence/persons/{Guid.NewGuid()}?{statement}", null);
        var body = colocation.DeepClone().AsObject();
        foreach (var part in statement.Split('&'))
        {
            var (key, value) = (part[..part.IndexOf('=')], Uri.UnescapeDataString(part[(part.IndexOf('=') + 1)..]));
            body[key] = value;
        }
        yield return (HttpMethod.Post, "api/v1/plates/colocation", body.ToJsonString());
    }

    private static JsonObject Colocation()
    {
        var (lat, lon) = Api.Place();
        var at = DateTimeOffset.UtcNow;
        return new JsonObject
        {
            ["incidents"] = new JsonArray(new JsonObject { ["latitude"] = lat, ["longitude"] = lon, ["occurredAt"] = at.AddHours(-2) },
                new JsonObject { ["latitude"] = lat + 0.01, ["longitude"] = lon, ["occurredAt"] = at.AddHours(-1) }),
        };
    }

    private async Task AssertRefusedByEveryLookUpAsync(string statement, string field, string expected)
    {
        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        var before = await app.CountAsync(Audited);
        foreach (var (method, url, body) in LookUps(statement, Colocation()))
        {
            using var request = new HttpRequestMessage(method, url);
            if (body is not null)
                request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            var response = await commander.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {response.StatusCode} {text}");
            var errors = JsonNode.Parse(text)!["errors"]!;
            Assert.True(errors[field] is not null, $"{url}: no error for '{field}' in {errors.ToJsonString()}");
            Assert.Contains(expected, string.Join(" ", errors[field]!.AsArray().Select(e => e!.GetValue<string>())), StringComparison.Ordinal);
        }
        Assert.Equal(before, await app.CountAsync(Audited));
    }

    [Theory]
    [InlineData("investigation")]
    [InlineData("Investigation.")]
    [InlineData("  CASE ")]
    [InlineData("n/a.")]
    [InlineData("ongoing   investigation")]
    [InlineData("test")]
    public Task A_vague_purpose_is_refused_with_the_reason_by_every_look_up_even_with_a_case(string purpose) =>
        AssertRefusedByEveryLookUpAsync($"{Stated.Query}&purpose={Uri.EscapeDataString(purpose)}", "purpose", "too vague");

    [Theory]
    [InlineData("123")]
    [InlineData("2026-12")]
    [InlineData("26-000123")]
    [InlineData("2026-000123x")]
    [InlineData("case 2026-000123")]
    public Task A_case_number_not_in_the_agencys_format_is_refused_with_an_example(string caseNumber) =>
        AssertRefusedByEveryLookUpAsync($"caseNumber={Uri.EscapeDataString(caseNumber)}&offence=burglary", "caseNumber", "e.g. 2026-000123");

    [Theory]
    [InlineData("offence=jaywalking", "must be one of")]
    [InlineData("offence=", "'offence' is required")]
    [InlineData("purpose=case%207%20burglary", "'offence' is required")]   // an old client that sends only a purpose is told what to send
    public Task An_offence_not_on_the_list_or_none_is_refused_naming_the_list(string statement, string expected) =>
        AssertRefusedByEveryLookUpAsync($"caseNumber={Stated.CaseNumber}&{statement}", "offence", expected);

    [Fact]
    public async Task Without_a_case_number_the_purpose_must_say_why()
    {
        await AssertRefusedByEveryLookUpAsync("offence=robbery", "purpose", "Without a case number");
    }

    [Fact]
    public async Task A_stated_look_up_runs_and_its_audit_entry_keeps_the_case_number_and_offence_as_fields()
    {
        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        var caseNumber = $"2026-{Random.Shared.Next(100000, 999999)}";
        var words = "fence " + IntelApi.Unique("stolen bikes");
        // The offence is matched without case and kept as the list spells it; the words are optional.
        (await commander.GetAsync($"api/v1/plates/search?plate=AB*&caseNumber={caseNumber}&offence=Motor%20Vehicle%20Theft")).EnsureSuccessStatusCode();
        (await commander.GetAsync($"api/v1/intelligence/search?name=Smith&caseNumber={caseNumber}&offence=larceny/theft&purpose={Uri.EscapeDataString(words)}"))
            .EnsureSuccessStatusCode();
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM audit.entries WHERE module = 'Plates' AND action = 'search' AND purpose IS NULL
              AND details->>'caseNumber' = '{caseNumber}' AND details->>'offence' = 'motor vehicle theft'
            """));
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM audit.entries WHERE module = 'Intelligence' AND action = 'search' AND purpose = '{words}'
              AND details->>'caseNumber' = '{caseNumber}' AND details->>'offence' = 'larceny/theft' AND details->>'name' = 'Smith'
            """));
        // Oversight finds the look-ups of a case by its number with the purpose filter.
        using var admin = app.AdminClient();
        var review = await (await admin.GetAsync($"api/v1/audit?purpose={caseNumber}")).ReadJsonAsync();
        Assert.Equal(["Intelligence/search", "Plates/search"], review["entries"]!.AsArray()
            .Select(e => $"{e!["module"]!.GetValue<string>()}/{e["action"]!.GetValue<string>()}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_rules_are_served_to_pages_and_clients()
    {
        using var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));
        var rules = await (await analyst.GetAsync("api/v1/purposes")).ReadJsonAsync();
        Assert.Equal("2026-000123", rules["caseNumberExample"]!.GetValue<string>());
        Assert.Contains("burglary", rules["offences"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Contains("protest", rules["sensitive"]!.AsArray().Select(o => o!.GetValue<string>()));
        // The search page offers the same list and hint.
        var page = await (await app.SignedInAsync(Users.Analyst)).GetStringAsync("Plates/Search");
        Assert.Contains("<option value=\"motor vehicle theft\">", page, StringComparison.Ordinal);
        Assert.Contains("e.g. 2026-000123", page, StringComparison.Ordinal);
    }
}
