using System.Text.RegularExpressions;
using SafeCities.Modules.Lighting.Contracts;

namespace SafeCities.Tests.Integration.Lighting;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class LightingSettingsTests(AppFixture app)
{
    private const string Audits = "SELECT count(*) FROM audit.entries WHERE module = 'Lighting' AND action = 'settings.updated'";

    [Fact]
    public async Task Invalid_settings_get_a_400_naming_each_field_and_change_nothing()
    {
        await app.EnsureDefaultSettingsAsync();
        var audits = await app.CountAsync(Audits);
        using var admin = app.AdminClient();

        var response = await admin.PutAsJsonAsync("api/v1/lighting/settings",
            new { triggerKinds = new[] { "fire" }, radiusMeters = 5, levelPercent = 0, durationMinutes = 241 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync())["errors"]!.AsObject();
        Assert.Equal(["durationMinutes", "levelPercent", "radiusMeters", "triggerKinds[0]"], errors.Select(e => e.Key).Order().ToArray());
        Assert.Contains("'fire' is not an incident kind", errors["triggerKinds[0]"]![0]!.GetValue<string>());
        var empty = await admin.PutAsJsonAsync("api/v1/lighting/settings", new { triggerKinds = Array.Empty<string>(), radiusMeters = 2001, levelPercent = 101, durationMinutes = 0 });
        Assert.Equal(["durationMinutes", "levelPercent", "radiusMeters", "triggerKinds"],
            (await empty.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Order().ToArray());
        Assert.Equal(audits, await app.CountAsync(Audits));
        var current = await (await admin.GetAsync("api/v1/lighting/settings")).ReadJsonAsync();
        Assert.Equal(150, current["radiusMeters"]!.GetValue<int>());
    }

    [Fact]
    public async Task Every_change_is_audited_with_who_before_and_after_and_used_by_the_next_incident()
    {
        await app.EnsureDefaultSettingsAsync();
        var audits = await app.CountAsync(Audits);
        using var admin = app.AdminClient();
        try
        {
            var response = await admin.PutAsJsonAsync("api/v1/lighting/settings",
                new { triggerKinds = new[] { "gunshot" }, radiusMeters = 300, levelPercent = 80, durationMinutes = 5 });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(300, (await response.ReadJsonAsync())["radiusMeters"]!.GetValue<int>());

            Assert.Equal(audits + 1, await app.CountAsync(Audits));
            Assert.Equal(1, await app.CountAsync(
                $"""
                 SELECT count(*) FROM audit.entries WHERE module = 'Lighting' AND action = 'settings.updated' AND actor LIKE 'client:%'
                 AND details -> 'before' ->> 'radiusMeters' = '150' AND details -> 'after' ->> 'radiusMeters' = '300'
                 AND details -> 'after' ->> 'levelPercent' = '80' AND details -> 'after' ->> 'durationMinutes' = '5'
                 AND at > now() - interval '1 minute'
                 """));

            // The next incident uses them: 250 m is now inside the radius, the level is 80 %.
            var (lat, lon) = LightingTestKit.PlaceWhereItIs(dark: true);
            var light = (await app.AddLightsAsync(lat, lon, (250, 0)))[0];
            await app.PublishIncidentAsync(Guid.CreateVersion7(), lat, lon);
            Assert.Equal([80], app.Controller().CommandsFor(light).Select(c => c.Level));
        }
        finally
        {
            await app.EnsureDefaultSettingsAsync();
        }
        Assert.Equal(audits + 2, await app.CountAsync(Audits));
    }

    [Fact]
    public async Task The_settings_page_shows_form_errors_saves_and_audits_as_the_signed_in_administrator()
    {
        await app.EnsureDefaultSettingsAsync();
        using var admin = await app.SignedInAsync(Users.Admin);
        var audits = await app.CountAsync(Audits);
        try
        {
            var bad = await PostFormAsync(admin, ("Input.TriggerKinds", "gunshot"), ("Input.RadiusMeters", "5000"), ("Input.LevelPercent", "100"),
                ("Input.DurationMinutes", "15"));
            Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
            var badHtml = await bad.Content.ReadAsStringAsync();
            Assert.Contains("must be between 10 and 2000", badHtml);
            Assert.DoesNotContain("Settings saved", badHtml);
            var none = await (await PostFormAsync(admin, ("Input.RadiusMeters", "100"), ("Input.LevelPercent", "100"), ("Input.DurationMinutes", "15")))
                .Content.ReadAsStringAsync();
            Assert.Contains("Choose at least one incident kind.", none);
            Assert.Equal(audits, await app.CountAsync(Audits));

            var good = await PostFormAsync(admin, ("Input.TriggerKinds", "gunshot"), ("Input.RadiusMeters", "200"), ("Input.LevelPercent", "90"),
                ("Input.DurationMinutes", "20"));
            var html = await good.Content.ReadAsStringAsync();
            Assert.Contains("Settings saved", html);
            // When, in the city's clock and labelled (as every page says a time), not in UTC.
            Assert.Matches(@"last changed <time [^>]*>\d{4}-\d{2}-\d{2} \d{2}:\d{2} E[SD]T</time> by " + Regex.Escape(Users.Admin), html);
            Assert.Equal(audits + 1, await app.CountAsync(Audits));
            Assert.Equal(1, await app.CountAsync(
                $"SELECT count(*) FROM audit.entries WHERE action = 'settings.updated' AND actor = '{Users.Admin}' AND details -> 'after' ->> 'radiusMeters' = '200'"));
            Assert.Equal(200, (await app.SendAsync(new GetLightingReactionSettingsQuery())).RadiusMeters);
        }
        finally
        {
            await app.EnsureDefaultSettingsAsync();
        }
    }

    [Fact]
    public async Task Only_administrators_see_or_change_the_settings()
    {
        using var commander = await app.SignedInAsync(Users.Commander);
        var page = await commander.GetAsync("Lighting/Admin/Settings");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", page.Headers.Location!.PathAndQuery);
        using var commanderKey = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        Assert.Equal(HttpStatusCode.Forbidden,
            (await commanderKey.PutAsJsonAsync("api/v1/lighting/settings", new { triggerKinds = new[] { "gunshot" }, radiusMeters = 100, levelPercent = 50, durationMinutes = 5 })).StatusCode);
        using var anonymous = app.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/lighting/settings")).StatusCode);
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, params (string Key, string Value)[] fields)
    {
        var form = await client.GetStringAsync("Lighting/Admin/Settings");
        var token = Browserless.AntiforgeryToken(form);
        Assert.False(string.IsNullOrEmpty(token));
        return await client.PostAsync("Lighting/Admin/Settings",
            new FormUrlEncodedContent([.. fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)), new("__RequestVerificationToken", token)]));
    }

}
