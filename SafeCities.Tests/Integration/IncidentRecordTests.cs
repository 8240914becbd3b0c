using System.Globalization;
using System.Text;
using SafeCities.Tests.Integration.Intelligence;
using SafeCities.Tests.Integration.Plates;
using SafeCities.Modules.Shared.Time;

namespace SafeCities.Tests.Integration;

/// <summary>Closing with an outcome, reopening, staff notes and the status history; the incident history and its exports.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class IncidentRecordTests(AppFixture app)
{
    private static async Task AssertProblemAsync(HttpResponseMessage response, string expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {body}");
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.MediaType ?? "");
        Assert.Contains(expected, body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Closing_needs_an_outcome_of_the_incidents_kind_reopening_is_kept_and_the_history_is_never_overwritten()
    {
        var (lat, lon) = Api.Place();
        var id = await app.ReportGunshotAsync(lat, lon);
        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        var close = $"api/v1/incidents/{id}/close";

        await AssertProblemAsync(await commander.PostAsync(close, null), "outcome");
        await AssertProblemAsync(await commander.PostAsJsonAsync(close, new { outcome = "" }), "outcome");
        await AssertProblemAsync(await commander.PostAsJsonAsync(close, new { outcome = "stopped" }), "not an outcome of a gunshot");
        await AssertProblemAsync(await commander.PostAsJsonAsync(close, new { outcome = "made-up" }), "must be one of");
        await AssertProblemAsync(await commander.PostAsJsonAsync(close, new { outcome = "no-evidence", notes = new string('n', 2001) }), "2000");
        var bell = await commander.PostAsync(close, new StringContent("{\"outcome\":\"no-evidence\",\"notes\":\"a\\u0007b\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bell.StatusCode);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.incident_status_changes WHERE incident_id = '{id}'"));

        var closed = await (await commander.PostAsJsonAsync(close, new { outcome = "other-sound", notes = "Fireworks behind the school." })).ReadJsonAsync();
        Assert.Equal(("closed", "other-sound", "Fireworks behind the school."),
            (closed["status"]!.GetValue<string>(), closed["outcome"]!.GetValue<string>(), closed["outcomeNotes"]!.GetValue<string>()));
        var reopened = await commander.PostAsJsonAsync($"api/v1/incidents/{id}/reopen", new { notes = "A witness reports a shooter." });
        Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
        Assert.Equal(("open", null), ((await reopened.ReadJsonAsync())["status"]!.GetValue<string>(), (await reopened.ReadJsonAsync())["outcome"]?.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Conflict, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/reopen", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync(close, new { outcome = "gunfire-found" })).StatusCode);

        var record = await (await commander.GetAsync($"api/v1/incidents/{id}/record")).ReadJsonAsync();
        var history = record["history"]!.AsArray();
        Assert.Equal(["open>closed:other-sound", "closed>open:", "open>closed:gunfire-found"], history.Select(h =>
            $"{h!["fromStatus"]}>{h["toStatus"]}:{h["outcome"]?.GetValue<string>()}").ToArray());
        Assert.All(history, h => Assert.StartsWith("client:test-Commander", h!["by"]!.GetValue<string>()));
        Assert.Equal("Fireworks behind the school.", history[0]!["notes"]!.GetValue<string>());
        Assert.Equal("A witness reports a shooter.", history[1]!["notes"]!.GetValue<string>());
        var timeline = (await (await commander.GetAsync($"api/v1/incidents/{id}")).ReadJsonAsync())["timeline"]!.AsArray()
            .Where(t => t!["module"]!.GetValue<string>() == "Alerts").Select(t => t!["text"]!.GetValue<string>()).ToList();
        Assert.Contains(timeline, t => t.StartsWith("Closed by client:test-Commander", StringComparison.Ordinal) && t.Contains(": Other sound confirmed — Fireworks"));
        Assert.Contains(timeline, t => t.StartsWith("Reopened by", StringComparison.Ordinal));

        var outcomes = await (await commander.GetAsync("api/v1/incidents/outcomes")).ReadJsonAsync();
        Assert.Equal("Confirmed and stopped", outcomes["hotlist-hit"]![0]!["label"]!.GetValue<string>());
        Assert.Equal("sensor-fault", outcomes["*"]![1]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Staff_notes_are_kept_with_their_author_put_on_the_timeline_audited_and_hostile_text_is_refused()
    {
        var (lat, lon) = Api.Place();
        var id = await app.ReportGunshotAsync(lat, lon);
        using var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));
        var notes = $"api/v1/incidents/{id}/notes";

        await AssertProblemAsync(await analyst.PostAsJsonAsync(notes, new { text = "   " }), "Write the note");
        await AssertProblemAsync(await analyst.PostAsJsonAsync(notes, new { text = new string('x', 2001) }), "2000");
        Assert.Equal(HttpStatusCode.BadRequest,
            (await analyst.PostAsync(notes, new StringContent("{\"text\":\"esc\\u001b[31m\"}", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.PostAsJsonAsync($"api/v1/incidents/{Guid.NewGuid()}/notes", new { text = "lost" })).StatusCode);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.incident_notes WHERE incident_id = '{id}'"));

        var response = await analyst.PostAsJsonAsync(notes, new { text = "<b>Two</b> casings found,\nphoto taken." });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var note = await response.ReadJsonAsync();
        Assert.Equal("<b>Two</b> casings found,\nphoto taken.", note["text"]!.GetValue<string>());
        var record = await (await analyst.GetAsync($"api/v1/incidents/{id}/record")).ReadJsonAsync();
        var kept = Assert.Single(record["notes"]!.AsArray())!;
        Assert.StartsWith("client:test-Analyst", kept["by"]!.GetValue<string>());
        var timeline = (await (await analyst.GetAsync($"api/v1/incidents/{id}")).ReadJsonAsync())["timeline"]!.AsArray();
        Assert.Contains(timeline, t => t!["kind"]!.GetValue<string>() == "Note" && t["text"]!.GetValue<string>().Contains("casings found"));
        Assert.Equal(1, await app.CountAsync(
            $"SELECT count(*) FROM audit.entries WHERE module = 'Alerts' AND action = 'incident-note' AND details->>'incidentId' = '{id}'"));
        using var judge = app.Client(await app.CreateClientKeyAsync(Roles.Judge));
        Assert.Equal(HttpStatusCode.Forbidden, (await judge.PostAsJsonAsync(notes, new { text = "no" })).StatusCode);
    }

    [Fact]
    public async Task History_finds_incidents_by_time_kind_outcome_and_place_pages_them_and_exports_csv_and_geojson_safely()
    {
        var (lat, lon) = Api.Place();
        var closedId = await app.ReportGunshotAsync(lat, lon, DateTimeOffset.UtcNow.AddMinutes(-30));
        var (farLat, farLon) = (lat + 0.2, lon);
        var farId = await app.ReportGunshotAsync(farLat, farLon, DateTimeOffset.UtcNow.AddMinutes(-20));
        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{closedId}/close",
            new { outcome = "gunfire-found", notes = "=HYPERLINK(\"http://x\")" })).StatusCode);

        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O", CultureInfo.InvariantCulture));
        var near = $"from={from}&kind=gunshot&latitude={lat.ToString(CultureInfo.InvariantCulture)}&longitude={lon.ToString(CultureInfo.InvariantCulture)}&radiusMeters=1000";
        var page = await (await commander.GetAsync($"api/v1/incidents/history?{near}")).ReadJsonAsync();
        Assert.Equal([closedId], page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).ToArray());
        var closedOnly = await (await commander.GetAsync($"api/v1/incidents/history?{near}&status=closed&outcome=gunfire-found")).ReadJsonAsync();
        Assert.Equal(1, closedOnly["total"]!.GetValue<int>());
        Assert.Equal(0, (await (await commander.GetAsync($"api/v1/incidents/history?{near}&outcome=no-evidence")).ReadJsonAsync())["total"]!.GetValue<int>());
        // The map's bounds: a box around both; two per page → one page with both, newest first; page size 1 → two pages.
        var box = $"from={from}&south={(lat - 0.01).ToString(CultureInfo.InvariantCulture)}&north={(farLat + 0.01).ToString(CultureInfo.InvariantCulture)}"
                  + $"&west={(lon - 0.01).ToString(CultureInfo.InvariantCulture)}&east={(lon + 0.01).ToString(CultureInfo.InvariantCulture)}";
        var both = await (await commander.GetAsync($"api/v1/incidents/history?{box}&pageSize=1&page=2")).ReadJsonAsync();
        Assert.Equal((2, closedId), (both["total"]!.GetValue<int>(), both["items"]![0]!["id"]!.GetValue<Guid>()));

        var csvResponse = await commander.GetAsync($"api/v1/incidents/history.csv?{box}");
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType!.MediaType);
        var lines = (await csvResponse.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.StartsWith("id,kind,status,title,", lines[0]);
        Assert.Equal(3, lines.Length);
        var row = Assert.Single(lines, l => l.StartsWith(closedId.ToString(), StringComparison.Ordinal));
        Assert.Contains(",gunfire-found,Evidence of gunfire found,\"'=HYPERLINK(\"\"http://x\"\")\"", row);
        Assert.Contains(lines, l => l.StartsWith(farId.ToString(), StringComparison.Ordinal));

        var geo = await (await commander.GetAsync($"api/v1/incidents/history.geojson?{box}")).ReadJsonAsync();
        Assert.Equal("FeatureCollection", geo["type"]!.GetValue<string>());
        var feature = geo["features"]!.AsArray().Single(f => f!["id"]!.GetValue<Guid>() == closedId)!;
        Assert.Equal(lon, feature["geometry"]!["coordinates"]![0]!.GetValue<double>(), 6);
        Assert.Equal("gunfire-found", feature["properties"]!["outcome"]!.GetValue<string>());

        await AssertProblemAsync(await commander.GetAsync("api/v1/incidents/history?south=1&north=2"), "map area");
        await AssertProblemAsync(await commander.GetAsync("api/v1/incidents/history?latitude=1"), "place");
        await AssertProblemAsync(await commander.GetAsync("api/v1/incidents/history?outcome=lost"), "must be one of");
        await AssertProblemAsync(await commander.GetAsync("api/v1/incidents/history?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z"), "after");
        using var oversight = app.Client(await app.CreateClientKeyAsync(Roles.Oversight));
        Assert.Equal(HttpStatusCode.OK, (await oversight.GetAsync($"api/v1/incidents/history.csv?{near}")).StatusCode);
        using var judge = app.Client(await app.CreateClientKeyAsync(Roles.Judge));
        Assert.Equal(HttpStatusCode.Forbidden, (await judge.GetAsync("api/v1/incidents/history")).StatusCode);
    }

    [Fact]
    public async Task The_history_page_reads_its_time_range_in_the_citys_zone_and_is_open_to_oversight_but_not_to_judges()
    {
        var (lat, lon) = Api.Place();
        var openedAt = DateTimeOffset.UtcNow.AddMinutes(-30);
        var id = await app.ReportGunshotAsync(lat, lon, openedAt);
        var clock = new CityClock(CityClock.DefaultTimeZone); // the test app runs with the default zone
        string Local(DateTimeOffset t) => Uri.EscapeDataString(clock.ToLocal(t).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        var place = $"latitude={lat.ToString(CultureInfo.InvariantCulture)}&longitude={lon.ToString(CultureInfo.InvariantCulture)}&radiusMeters=200";

        using var oversight = await app.SignedInAsync(await app.CreateUserAsync(Roles.Oversight));
        // The form's times are city time: a minute before the shot (city clock) finds it, a minute after does not.
        var before = await oversight.GetAsync($"incidents/history?status=all&{place}&from={Local(openedAt.AddMinutes(-1))}");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        var beforeHtml = await before.Content.ReadAsStringAsync();
        Assert.Contains($"data-incident-id=\"{id}\"", beforeHtml);
        // Not closed, so no outcome: the outcome cell says so (on a phone the status column is left out).
        var row = beforeHtml[beforeHtml.IndexOf($"data-incident-id=\"{id}\"", StringComparison.Ordinal)..];
        Assert.Matches("data-label=\"Outcome\">\\s*<span class=\"text-secondary\">Still open</span>", row[..row.IndexOf("</tr>", StringComparison.Ordinal)]);
        var after = await (await oversight.GetAsync($"incidents/history?status=all&{place}&from={Local(openedAt.AddMinutes(1))}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain($"data-incident-id=\"{id}\"", after);
        Assert.Contains("No incident matches the filter.", after);
        // Closed only, by default.
        Assert.DoesNotContain($"data-incident-id=\"{id}\"", await oversight.GetStringAsync($"incidents/history?{place}"));

        using var judge = await app.SignedInAsync(await app.CreateUserAsync(Roles.Judge));
        var refused = await judge.GetAsync("incidents/history");
        Assert.True(refused.StatusCode == HttpStatusCode.Forbidden || refused.Headers.Location?.ToString().Contains("AccessDenied", StringComparison.Ordinal) == true,
            $"a judge got {(int)refused.StatusCode} {refused.Headers.Location}");
    }
}
