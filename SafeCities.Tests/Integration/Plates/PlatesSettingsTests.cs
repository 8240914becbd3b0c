using System.Text.RegularExpressions;
using FluentValidation;
using Mediator;
using SafeCities.Modules.Plates.Contracts;

namespace SafeCities.Tests.Integration.Plates;

/// <summary>These change the one settings row every other test relies on, so each restores the defaults before it ends.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class PlatesSettingsTests(AppFixture app)
{
    private const string Audits = "SELECT count(*) FROM audit.entries WHERE module = 'Plates' AND action = 'settings.updated'";
    private static readonly UpdatePlatesReactionSettingsCommand Defaults = new(["gunshot"], 500, 10, 30, 1000, "tests");

    private Task<PlatesReactionSettingsDto> SendAsync(UpdatePlatesReactionSettingsCommand command) =>
        app.InScopeAsync(sp => sp.GetRequiredService<ISender>().Send(command).AsTask());

    private Task<PlatesReactionSettingsDto> GetAsync() =>
        app.InScopeAsync(sp => sp.GetRequiredService<ISender>().Send(new GetPlatesReactionSettingsQuery()).AsTask());

    [Fact]
    public async Task The_defaults_are_gunshots_500_m_10_before_30_after_and_batches_of_1000()
    {
        var s = await GetAsync();
        Assert.Equal(["gunshot"], s.TriggerKinds);
        Assert.Equal((500, 10, 30, 1000), (s.RadiusMeters, s.WindowBeforeMinutes, s.WindowAfterMinutes, s.MaxBatchSize));
        Assert.Contains("gunshot", s.AvailableTriggerKinds);
    }

    [Fact]
    public async Task Out_of_range_settings_are_refused_naming_each_field_and_nothing_changes()
    {
        var before = (await app.CountAsync(Audits), await GetAsync());
        var error = await Assert.ThrowsAsync<ValidationException>(() => SendAsync(new(["gunshot", "fire"], 49, -1, 0, 5001, "tests")));
        Assert.Equal(["MaxBatchSize", "RadiusMeters", "TriggerKinds[1]", "WindowAfterMinutes", "WindowBeforeMinutes"],
            error.Errors.Select(e => e.PropertyName).Distinct().Order().ToArray());
        await Assert.ThrowsAsync<ValidationException>(() => SendAsync(new(["gunshot"], 5001, 241, 721, 0, "")));
        Assert.Equal(before.Item1, await app.CountAsync(Audits));
        Assert.Equivalent(before.Item2, await GetAsync());
    }

    [Fact]
    public async Task Each_change_is_audited_with_before_and_after_and_takes_effect_at_once()
    {
        var audits = await app.CountAsync(Audits);
        try
        {
            var saved = await SendAsync(new(["gunshot"], 900, 5, 60, 2, "chief@city.test"));
            Assert.Equal((900, 5, 60, 2, "chief@city.test"), (saved.RadiusMeters, saved.WindowBeforeMinutes, saved.WindowAfterMinutes, saved.MaxBatchSize, saved.UpdatedBy));
            Assert.Equal(audits + 1, await app.CountAsync(Audits));
            Assert.Equal(1, await app.CountAsync("""
                SELECT count(*) FROM audit.entries WHERE module = 'Plates' AND action = 'settings.updated' AND actor = 'chief@city.test'
                  AND (details -> 'before' ->> 'radiusMeters')::int = 500 AND (details -> 'after' ->> 'radiusMeters')::int = 900
                  AND (details -> 'after' ->> 'maxBatchSize')::int = 2
                """));

            // Saving the same values again changes nothing and records nothing.
            await SendAsync(new(["gunshot"], 900, 5, 60, 2, "chief@city.test"));
            Assert.Equal(audits + 1, await app.CountAsync(Audits));

            // The new radius arms a reader at 800 m; the new batch cap refuses three reads.
            var (lat, lon) = Api.Place();
            var (reader, key) = await app.RegisterReaderAsync(lat, lon, 800, 10);
            var incidentId = Guid.CreateVersion7();
            await app.OpenIncidentAsync(incidentId, lat, lon, DateTimeOffset.UtcNow);
            Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.reader_armings WHERE incident_id = '{incidentId}' AND reader_id = '{reader}'"));
            var now = DateTimeOffset.UtcNow;
            var three = await app.PostReadsAsync(key, PlatesKit.Read("c1", "CAP1", now), PlatesKit.Read("c2", "CAP2", now), PlatesKit.Read("c3", "CAP3", now));
            Assert.Equal(HttpStatusCode.BadRequest, three.StatusCode);
            Assert.Contains("at most 2", (await three.ReadJsonAsync())["errors"]!["reads"]![0]!.GetValue<string>());
            Assert.Equal((2, 0), await app.SendReadsAsync(key, PlatesKit.Read("c1", "CAP1", now), PlatesKit.Read("c2", "CAP2", now)));

            // With no trigger kind the reaction is off.
            await SendAsync(new([], 900, 5, 60, 2, "chief@city.test"));
            var quiet = Guid.CreateVersion7();
            await app.OpenIncidentAsync(quiet, lat, lon, DateTimeOffset.UtcNow);
            Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM plates.incident_reactions WHERE incident_id = '{quiet}'"));
            Assert.Equal(audits + 2, await app.CountAsync(Audits));
        }
        finally
        {
            await SendAsync(Defaults);
        }
        Assert.Equal(500, (await GetAsync()).RadiusMeters);
    }

    [Fact]
    public async Task The_admin_page_shows_form_errors_saves_valid_values_and_is_for_administrators_only()
    {
        using var admin = await app.SignedInAsync(Users.Admin);
        var page = await admin.GetStringAsync("Plates/Admin/Settings");
        Assert.Contains("name=\"Input.RadiusMeters\"", page);
        Assert.Contains("value=\"gunshot\"", page);
        var audits = await app.CountAsync(Audits);
        try
        {
            var bad = await PostAsync(admin, page, radius: "20");
            Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
            var badHtml = await bad.Content.ReadAsStringAsync();
            Assert.Contains("Radius Meters", badHtml);
            Assert.Contains("50 and 5000", badHtml);
            Assert.DoesNotContain("Settings saved.", badHtml);
            Assert.Equal(audits, await app.CountAsync(Audits));

            var good = await PostAsync(admin, page, radius: "650");
            var goodHtml = await good.Content.ReadAsStringAsync();
            Assert.Contains("Settings saved.", goodHtml);
            Assert.Equal(650, (await GetAsync()).RadiusMeters);
            Assert.Equal(audits + 1, await app.CountAsync(Audits));
            Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'settings.updated' AND actor = '{Users.Admin}' AND (details -> 'after' ->> 'radiusMeters')::int = 650"));
        }
        finally
        {
            await SendAsync(Defaults);
        }

        using var officer = await app.SignedInAsync(Users.Officer);
        foreach (var path in new[] { "Plates/Admin/Settings", "Plates/Admin/Readers" })
        {
            var denied = await officer.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
            Assert.StartsWith("/Account/AccessDenied", denied.Headers.Location!.PathAndQuery);
        }
    }

    [Fact]
    public async Task The_readers_page_lists_each_reader_with_its_reads_of_the_last_24_hours()
    {
        var (lat, lon) = Api.Place();
        var (reader, key) = await app.RegisterReaderAsync(lat, lon);
        var now = DateTimeOffset.UtcNow;
        await app.SendReadsAsync(key, PlatesKit.Read("d1", "DAY1", now.AddHours(-1)), PlatesKit.Read("d2", "DAY2", now.AddHours(-2)),
            PlatesKit.Read("d3", "OLD3", now.AddHours(-30)));

        using var admin = await app.SignedInAsync(Users.Admin);
        var html = await admin.GetStringAsync("Plates/Admin/Readers");

        var row = RowOf(reader).Match(html);
        Assert.True(row.Success, "reader row missing");
        Assert.Contains("90°", row.Value);
        Assert.Matches(@"data-role=""reads-24h"">2<", row.Value);
        Assert.Contains("id=\"reader-points\"", html);
        var points = JsonNode.Parse(Points().Match(html).Groups[1].Value)!.AsArray();
        Assert.Contains(points, p => p!["readsLast24Hours"]!.GetValue<int>() == 2 && p["headingDegrees"]!.GetValue<double>() == 90);
    }

    private static Regex RowOf(Guid reader) => new($@"<tr data-reader-id=""{reader}"">.*?</tr>", RegexOptions.Singleline);

    [GeneratedRegex(@"<script type=""application/json"" id=""reader-points"">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex Points();


    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string radius) =>
        client.PostAsync("Plates/Admin/Settings", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.TriggerKinds"] = "gunshot", ["Input.RadiusMeters"] = radius, ["Input.WindowBeforeMinutes"] = "10",
            ["Input.WindowAfterMinutes"] = "30", ["Input.MaxBatchSize"] = "1000", ["__RequestVerificationToken"] = Browserless.AntiforgeryToken(page),
        }));
}
