using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Statistics;

namespace SafeCities.Tests.Integration.Alerts;

/// <summary>
/// Alert outcomes with published precision (issue 14, ADR 0044): closing needs an outcome of the kind's list; reopening and every change of kind or
/// location are kept (who, when, before → after); per source and month: alerts, attended, outcomes and precision with its Wilson 95 % interval,
/// after-the-fact changes counted and listed.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AlertPrecisionTests(AppFixture app)
{
    /// <summary>Gunshots from one acoustic system of the test's own (the source), each far enough from the others to open its own incident.</summary>
    private async Task<List<Guid>> GunshotsAsync(string source, int count)
    {
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var feed = app.Client(key);
        var (lat, lon) = Api.Place();
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var (la, lo) = GeoMath.Offset(lat, lon, 2000 * i, 90);
            var posted = await feed.PostAsJsonAsync("api/v1/sensors/gunshots", new
            {
                externalId = Guid.NewGuid().ToString("N"), occurredAt = DateTimeOffset.UtcNow.AddSeconds(-5), latitude = la, longitude = lo, rounds = 2, source,
            });
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            ids.Add((await posted.ReadJsonAsync())["incidentId"]!.GetValue<Guid>());
        }
        Assert.Equal(count, ids.Distinct().Count());
        return ids;
    }

    private static async Task<JsonNode> RowAsync(HttpClient client, string source)
    {
        var precision = await (await client.GetAsync("api/v1/incidents/precision")).ReadJsonAsync();
        return Assert.Single(precision["rows"]!.AsArray(), r => r!["source"]!.GetValue<string>() == source)!;
    }

    [Fact]
    public async Task Precision_per_source_counts_attended_alerts_with_evidence_and_gives_its_wilson_interval()
    {
        var source = $"Acoustic {Guid.NewGuid():N}"[..20];
        var ids = await GunshotsAsync(source, 4);
        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        foreach (var (id, outcome) in ids.Zip(["gunfire-found", "no-evidence", "not-attended"]))
            Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/close", new { outcome })).StatusCode);

        var row = await RowAsync(commander, source);
        Assert.Equal("gunshot", row["kind"]!.GetValue<string>());
        Assert.Equal((4, 3, 2, 1), (row["alerts"]!.GetValue<int>(), row["closed"]!.GetValue<int>(), row["attended"]!.GetValue<int>(), row["withEvidence"]!.GetValue<int>()));
        Assert.Equal(1, row["outcomes"]!["not-attended"]!.GetValue<int>());
        Assert.Equal(0.5, row["precision"]!.GetValue<double>(), 6);
        // Wilson 95 % for 1 of 2: 0.0945 – 0.9055.
        Assert.Equal(0.0945, row["low"]!.GetValue<double>(), 4);
        Assert.Equal(0.9055, row["high"]!.GetValue<double>(), 4);
        Assert.Equal(0, row["corrected"]!.GetValue<int>());

        // The analysts' page and the transparency page show the row (the public page from a 10-minute cache, so only the analysts' page is
        // checked for this source).
        using var analyst = await app.SignedInAsync(Users.Analyst);
        var page = await analyst.GetStringAsync("incidents/precision");
        Assert.Contains($"data-source=\"{source}\"", page);
        Assert.Contains("(9 %–91 %)", page);
    }

    [Fact]
    public async Task Closing_needs_an_outcome_and_reopening_and_changes_of_kind_and_location_are_kept_and_counted_after_the_fact()
    {
        var source = $"Acoustic {Guid.NewGuid():N}"[..20];
        var id = (await GunshotsAsync(source, 1))[0];
        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        var close = $"api/v1/incidents/{id}/close";
        var refused = await commander.PostAsJsonAsync(close, new { notes = "done" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadAsStringAsync();
        Assert.True(problem.Contains("Choose an outcome to close a gunshot incident: one of: gunfire-found, no-evidence"), problem);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.incident_status_changes WHERE incident_id = '{id}'"));
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync(close, new { outcome = "no-evidence" })).StatusCode);

        // A closed incident's outcome must fit a new kind: "no evidence found" is not an outcome of a noise alert.
        var corrections = $"api/v1/incidents/{id}/corrections";
        var misfit = await commander.PostAsJsonAsync(corrections, new { kind = "noise", reason = "Fireworks." });
        Assert.Equal(HttpStatusCode.Conflict, misfit.StatusCode);
        Assert.Contains("reopen it first", await misfit.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await commander.PostAsJsonAsync(corrections, new { kind = "noise" })).StatusCode); // no reason
        Assert.Equal(HttpStatusCode.BadRequest, (await commander.PostAsJsonAsync(corrections, new { latitude = 38.9, reason = "x" })).StatusCode); // half a place
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.incident_corrections WHERE incident_id = '{id}'"));

        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/reopen", new { notes = "Re-examined the audio." })).StatusCode);
        var before = await (await commander.GetAsync($"api/v1/incidents/{id}")).ReadJsonAsync();
        var (lat, lon) = (before["incident"]!["latitude"]!.GetValue<double>(), before["incident"]!["longitude"]!.GetValue<double>());
        var (newLat, newLon) = GeoMath.Offset(lat, lon, 150, 0);
        var corrected = await commander.PostAsJsonAsync(corrections, new { kind = "noise", latitude = newLat, longitude = newLon, reason = "Fireworks behind the school." });
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        var incident = await corrected.ReadJsonAsync();
        Assert.Equal("noise", incident["kind"]!.GetValue<string>());
        Assert.Equal(newLat, incident["latitude"]!.GetValue<double>(), 6);
        // The title leads with what it is now and keeps what it was first reported as — once, however often the kind changes.
        var reported = before["incident"]!["title"]!.GetValue<string>();
        Assert.StartsWith("Gunshot", reported);
        Assert.Equal($"Noise — first reported as: {reported}", incident["title"]!.GetValue<string>());
        var again = await (await commander.PostAsJsonAsync(corrections, new { kind = "seismic", reason = "A blast at the quarry." })).ReadJsonAsync();
        Assert.Equal($"Seismic — first reported as: {reported}", again["title"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync(corrections, new { kind = "noise", reason = "Fireworks after all." })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync(close, new { outcome = "confirmed" })).StatusCode);

        var record = await (await commander.GetAsync($"api/v1/incidents/{id}/record")).ReadJsonAsync();
        Assert.Equal(["open→closed", "closed→open", "open→closed"],
            record["history"]!.AsArray().Select(h => $"{h!["fromStatus"]}→{h["toStatus"]}"));
        var changes = record["corrections"]!.AsArray();
        Assert.Equal(4, changes.Count);
        var kind = changes.OrderBy(c => c!["at"]!.GetValue<DateTimeOffset>()).First(c => c!["field"]!.GetValue<string>() == "kind")!;
        Assert.Equal(("gunshot", "noise", Users.Commander, true), (kind["before"]!.GetValue<string>(), kind["after"]!.GetValue<string>(),
            kind["by"]!.GetValue<string>(), kind["afterClose"]!.GetValue<bool>()));
        var place = Assert.Single(changes, c => c!["field"]!.GetValue<string>() == "location")!;
        Assert.Equal(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{newLat:0.000000}, {newLon:0.000000}"), place["after"]!.GetValue<string>());
        Assert.Equal("Fireworks behind the school.", place["reason"]!.GetValue<string>());
        Assert.Equal(3, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE module = 'Alerts' AND action = 'incident-correct' AND details->>'incidentId' = '{id}'"));
        Assert.Equal(3, await app.CountAsync($"SELECT count(*) FROM alerts.timeline WHERE incident_id = '{id}' AND kind = 'Corrected'"));

        // Counted and listed as changed after the fact, under its (new) kind.
        var row = await RowAsync(commander, source);
        Assert.Equal(("noise", 1, 1, 1), (row["kind"]!.GetValue<string>(), row["alerts"]!.GetValue<int>(), row["withEvidence"]!.GetValue<int>(), row["corrected"]!.GetValue<int>()));
        var precision = await (await commander.GetAsync("api/v1/incidents/precision")).ReadJsonAsync();
        Assert.Equal(4, precision["correctedAfterClose"]!.AsArray().Count(c => c!["incidentId"]!.GetValue<Guid>() == id));
        // The incident page keeps the history of changes.
        var page = await commander.GetStringAsync($"Alerts/Incidents/Details/{id}");
        Assert.Contains("id=\"incident-corrections\"", page);
        Assert.Contains("after the fact", page);
    }

    [Fact]
    public async Task The_correction_form_sends_only_what_its_user_changed_so_a_place_corrected_by_someone_else_meanwhile_is_kept()
    {
        var id = (await GunshotsAsync($"Acoustic {Guid.NewGuid():N}"[..20], 1))[0];
        // The first commander's page is drawn with the incident's first place.
        using var first = await app.SignedInAsync(Users.Commander);
        var path = $"Alerts/Incidents/Details/{id}";
        var page = await first.GetStringAsync(path);
        string Field(string name) => System.Text.RegularExpressions.Regex.Match(page, $"name=\"{name}\"[^>]*value=\"([^\"]*)\"").Groups[1].Value;
        var (drawnLat, drawnLon) = (Field("drawnLatitude"), Field("drawnLongitude"));
        Assert.Equal((drawnLat, drawnLon), (Field("latitude"), Field("longitude")));
        Assert.Equal("gunshot", Field("drawnKind"));

        // Meanwhile someone else moves it 200 m (the first page is not drawn again: it has no connection, say).
        using var second = await app.SignedInAsync(Users.Admin, pageToken: true);
        var (lat, lon) = GeoMath.Offset(double.Parse(drawnLat, System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(drawnLon, System.Globalization.CultureInfo.InvariantCulture), 200, 90);
        Assert.Equal(HttpStatusCode.OK, (await second.PostAsJsonAsync($"api/v1/incidents/{id}/corrections",
            new { latitude = lat, longitude = lon, reason = "The detector's second fix." })).StatusCode);

        // The first commander changes only the kind; the place fields still hold the first place, as drawn. (Sent as a browser sends a form.)
        first.DefaultRequestHeaders.Accept.Clear();
        var response = await first.PostAsync($"{path}?handler=Correct", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["kind"] = "noise", ["latitude"] = drawnLat, ["longitude"] = drawnLon, ["reason"] = "Fireworks.",
            ["drawnKind"] = "gunshot", ["drawnLatitude"] = drawnLat, ["drawnLongitude"] = drawnLon,
            ["__RequestVerificationToken"] = Browserless.AntiforgeryToken(page),
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var incident = (await (await second.GetAsync($"api/v1/incidents/{id}")).ReadJsonAsync())["incident"]!;
        Assert.Equal("noise", incident["kind"]!.GetValue<string>());
        Assert.Equal(lat, incident["latitude"]!.GetValue<double>(), 6);
        Assert.Equal(lon, incident["longitude"]!.GetValue<double>(), 6);
        var changes = (await (await second.GetAsync($"api/v1/incidents/{id}/record")).ReadJsonAsync())["corrections"]!.AsArray();
        Assert.Equal(["location by " + Users.Admin, "kind by " + Users.Commander],
            changes.OrderBy(c => c!["at"]!.GetValue<DateTimeOffset>()).Select(c => $"{c!["field"]} by {c["by"]}"));
    }

    [Fact]
    public async Task Shots_joining_an_incident_whose_kind_was_corrected_keep_what_it_was_first_reported_as_in_its_title()
    {
        // Corrected to noise, then back to gunfire (the detector was right after all); then the same feed hears more shots there.
        var source = $"Acoustic {Guid.NewGuid():N}"[..20];
        var id = (await GunshotsAsync(source, 1))[0];
        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        var corrections = $"api/v1/incidents/{id}/corrections";
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync(corrections, new { kind = "noise", reason = "Fireworks?" })).StatusCode);
        var back = await (await commander.PostAsJsonAsync(corrections, new { kind = "gunshot", reason = "Casings found." })).ReadJsonAsync();
        Assert.Equal("Gunshot — first reported as: Gunshots detected (2 rounds)", back["title"]!.GetValue<string>());
        var (lat, lon) = (back["latitude"]!.GetValue<double>(), back["longitude"]!.GetValue<double>());
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using (var feed = app.Client(key))
        {
            var more = await feed.PostAsJsonAsync("api/v1/sensors/gunshots", new
            {
                externalId = Guid.NewGuid().ToString("N"), occurredAt = DateTimeOffset.UtcNow.AddSeconds(-2), latitude = lat, longitude = lon, rounds = 3, source,
            });
            Assert.Equal(id, (await more.ReadJsonAsync())["incidentId"]!.GetValue<Guid>());
        }
        var incident = (await (await commander.GetAsync($"api/v1/incidents/{id}")).ReadJsonAsync())["incident"]!;
        Assert.Equal("Gunshots detected (5 rounds) — first reported as: Gunshots detected (2 rounds)", incident["title"]!.GetValue<string>());
    }
}

public sealed class WilsonIntervalTests
{
    [Theory]
    [InlineData(1, 2, 0.0945, 0.9055)]
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(10, 10, 0.7225, 1.0)]
    public void The_interval_matches_published_values(int successes, int n, double low, double high)
    {
        var (l, h) = WilsonInterval.Of(successes, n)!.Value;
        Assert.Equal(low, l, 4);
        Assert.Equal(high, h, 4);
    }

    [Fact]
    public void No_trials_give_no_interval() => Assert.Null(WilsonInterval.Of(0, 0));
}
