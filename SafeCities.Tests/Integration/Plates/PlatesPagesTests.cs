using System.Globalization;

namespace SafeCities.Tests.Integration.Plates;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PlatesPagesTests(AppFixture app)
{
    [Fact]
    public async Task The_transparency_page_is_public_and_shows_retention_and_monthly_counts_without_plates()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var plate = HotlistKit.Plate();
        await app.SendReadsAsync(key, PlatesKit.Read("t1", plate, DateTimeOffset.UtcNow.AddMinutes(-1)));

        using var anonymous = app.Client();
        var response = await anonymous.GetAsync("Transparency");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("30 days, then deleted", html);
        Assert.Contains("Kept as evidence until released", html);
        Assert.Contains($"data-month=\"{DateTimeOffset.UtcNow:yyyy-MM}\"", html);
        Assert.DoesNotContain(plate, html);
    }

    [Fact]
    public async Task Released_hits_past_retention_are_purged_and_unreleased_ones_kept_as_evidence()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var list = await app.CreateHotlistAsync();
        var (released, evidence) = (HotlistKit.Plate(), HotlistKit.Plate());
        await app.AddEntryAsync(list, released);
        await app.AddEntryAsync(list, evidence);
        // Reads older than retention are refused at ingestion, so the hits are made from fresh reads and then aged 40 days.
        var old = DateTimeOffset.UtcNow.AddDays(-40);
        await app.SendReadsAsync(key, PlatesKit.Read("old-1", released, DateTimeOffset.UtcNow), PlatesKit.Read("old-2", evidence, DateTimeOffset.UtcNow));
        await app.CountAsync($"WITH aged AS (UPDATE plates.hotlist_hits SET captured_at = '{old:O}' WHERE entry_plate IN ('{released}', '{evidence}') RETURNING 1) SELECT count(*) FROM aged");
        var hit = Assert.Single(await app.HitsAsync(released));
        using var admin = app.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"api/v1/plates/hits/{hit!["id"]}/release", null)).StatusCode);

        var deleted = await app.InScopeAsync(sp => sp.GetRequiredService<SafeCities.Modules.Plates.Features.HitsRetentionJob>().RunAsync(default));

        Assert.True(deleted >= 1);
        Assert.Empty(await app.HitsAsync(released));
        Assert.Single(await app.HitsAsync(evidence));
        Assert.True(await app.CountAsync($"""
            SELECT count(*) FROM audit.entries, jsonb_array_elements(details->'days') d
            WHERE action = 'retention-purge' AND d->>'day' = '{old.UtcDateTime:yyyy-MM-dd}' AND (d->>'deleted')::int >= 1 AND details::text NOT LIKE '%{released}%'
            """) >= 1);
    }

    [Fact]
    public async Task Analyst_pages_render_for_analysts_and_the_audit_page_only_for_administrators()
    {
        using var analyst = await app.SignedInAsync(Users.Analyst);
        foreach (var page in new[] { "Plates/Search", "Plates/Hotlists", "Plates/Hits", "Plates/Colocation" })
            Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync(page)).StatusCode);
        // Neither a case number nor words: the form says what to state.
        var search = await (await analyst.GetAsync("Plates/Search?plate=ABC*&purpose=")).Content.ReadAsStringAsync();
        Assert.Contains("Without a case number, say in", search);
        Assert.Contains("is required: the offence category this look-up serves", search);
        Assert.Equal(HttpStatusCode.Redirect, (await analyst.GetAsync("Audit")).StatusCode);
        using var officer = await app.SignedInAsync(Users.Officer);
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync("Plates/Hits")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await officer.GetAsync("Plates/Search")).StatusCode);
        using var admin = await app.SignedInAsync(Users.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("Audit")).StatusCode);
    }

    [Fact]
    public async Task The_plate_search_and_co_location_pages_read_typed_times_as_the_citys()
    {
        var clock = app.Services.GetRequiredService<SafeCities.Modules.Shared.Time.CityClock>();
        var at = DateTimeOffset.UtcNow.AddMinutes(-30);
        Assert.NotEqual(TimeSpan.Zero, clock.ToLocal(at).Offset);   // otherwise city time and UTC could not be told apart here
        var plate = HotlistKit.Plate();
        var places = new List<(double Lat, double Lon)>();
        foreach (var minutes in new[] { 0, 20 })
        {
            var (lat, lon) = Api.Place();
            var (_, key) = await app.RegisterReaderAsync(lat, lon);
            await app.SendReadsAsync(key, PlatesKit.Read(Guid.NewGuid().ToString("N"), plate, at.AddMinutes(minutes)));
            places.Add((lat, lon));
        }
        using var analyst = await app.SignedInAsync(Users.Analyst);
        string Wall(DateTimeOffset instant, string separator) => instant.ToString($"yyyy-MM-dd'{separator}'HH:mm", CultureInfo.InvariantCulture);

        async Task<bool> SearchFinds(DateTimeOffset from, DateTimeOffset to) =>
            (await analyst.GetStringAsync($"Plates/Search?{Stated.Query}&purpose=walk+city+time&plate={plate}&from={Wall(from, "T")}&to={Wall(to, "T")}"))
            .Contains($"data-plate=\"{plate}\"");
        Assert.True(await SearchFinds(clock.ToLocal(at.AddMinutes(-10)), clock.ToLocal(at.AddMinutes(10))));
        Assert.False(await SearchFinds(at.AddMinutes(-10).ToUniversalTime(), at.AddMinutes(10).ToUniversalTime()));   // the same window read as UTC

        async Task<bool> ColocationFinds(Func<DateTimeOffset, string> time) =>
            (await analyst.PostFormAsync("Plates/Colocation", new Dictionary<string, string>
            {
                ["CaseNumber"] = Stated.CaseNumber, ["Offence"] = Stated.Offence, ["Purpose"] = "city time", ["RadiusMeters"] = "300", ["WindowMinutes"] = "5", ["MinIncidents"] = "2",
                ["Places"] = string.Join('\n', places.Select((p, i) => FormattableString.Invariant($"{p.Lat}, {p.Lon}, {time(at.AddMinutes(i * 20))}"))),
            })).Contains($"data-plate=\"{plate}\"");
        Assert.True(await ColocationFinds(t => Wall(clock.ToLocal(t), " ")));
        Assert.False(await ColocationFinds(t => Wall(t.ToUniversalTime(), " ")));
        Assert.True(await ColocationFinds(t => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture)));   // an instant as written
    }

    [Fact]
    public async Task A_signed_in_import_without_the_pages_antiforgery_token_is_refused()
    {
        var list = await app.CreateHotlistAsync();
        using var analyst = await app.SignedInAsync(Users.Analyst);
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent($"LIC\n{HotlistKit.Plate()}\n"), "file", "x.csv");

        var response = await analyst.PostAsync($"api/v1/plates/hotlists/{list}/import", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM plates.hotlist_entries WHERE hotlist_id = '{list}'"));
    }
}
