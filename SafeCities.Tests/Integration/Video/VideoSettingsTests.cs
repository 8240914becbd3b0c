using System.Text.RegularExpressions;

namespace SafeCities.Tests.Integration.Video;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class VideoSettingsTests(AppFixture app)
{
    private const string SettingsAudits = "SELECT count(*) FROM audit.entries WHERE module = 'Video' AND action = 'settings.updated'";

    [Fact]
    public async Task A_change_through_the_api_is_kept_and_audited_with_who_before_and_after()
    {
        using var admin = app.AdminClient();
        var before = await app.CountAsync(SettingsAudits);
        try
        {
            var response = await admin.PutAsJsonAsync("api/v1/video/settings", new { triggerKinds = new[] { "gunshot" }, preSeconds = 90, postMinutes = 12, maxPtzCameras = 4 });

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var read = await (await admin.GetAsync("api/v1/video/settings")).ReadJsonAsync();
            Assert.Equal((90, 12, 4), (read["preSeconds"]!.GetValue<int>(), read["postMinutes"]!.GetValue<int>(), read["maxPtzCameras"]!.GetValue<int>()));
            Assert.StartsWith("client:", read["updatedBy"]!.GetValue<string>());
            Assert.Equal(before + 1, await app.CountAsync(SettingsAudits));
            // The audit record holds who, and the values before and after.
            Assert.Equal(1, await app.CountAsync($"""
                SELECT count(*) FROM audit.entries WHERE module = 'Video' AND action = 'settings.updated' AND actor LIKE 'client:%'
                  AND (details -> 'after' ->> 'preSeconds')::int = 90 AND (details -> 'after' ->> 'maxPtzCameras')::int = 4
                  AND details -> 'before' ->> 'preSeconds' IS NOT NULL AND at > now() - interval '1 minute'
                  AND id = (SELECT max(id) FROM audit.entries WHERE module = 'Video')
                """));
        }
        finally
        {
            await app.RestoreDefaultReactionSettingsAsync();
        }
    }

    [Theory]
    [InlineData("""{"triggerKinds":["fireworks"],"preSeconds":30,"postMinutes":5,"maxPtzCameras":10}""", "triggerKinds[0]")]
    [InlineData("""{"triggerKinds":[],"preSeconds":30,"postMinutes":5,"maxPtzCameras":10}""", "triggerKinds")]
    [InlineData("""{"triggerKinds":["gunshot"],"preSeconds":601,"postMinutes":5,"maxPtzCameras":10}""", "preSeconds")]
    [InlineData("""{"triggerKinds":["gunshot"],"preSeconds":30,"postMinutes":0,"maxPtzCameras":10}""", "postMinutes")]
    [InlineData("""{"triggerKinds":["gunshot"],"preSeconds":30,"postMinutes":5,"maxPtzCameras":51}""", "maxPtzCameras")]
    public async Task Invalid_settings_get_400_naming_the_field_and_change_nothing(string body, string field)
    {
        using var admin = app.AdminClient();
        var settingsBefore = (await (await admin.GetAsync("api/v1/video/settings")).ReadJsonAsync()).ToJsonString();
        var audits = await app.CountAsync(SettingsAudits);

        var response = await admin.PutAsync("api/v1/video/settings", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await response.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(settingsBefore, (await (await admin.GetAsync("api/v1/video/settings")).ReadJsonAsync()).ToJsonString());
        Assert.Equal(audits, await app.CountAsync(SettingsAudits));
    }

    [Fact]
    public async Task Only_administrators_see_or_change_the_settings()
    {
        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        Assert.Equal(HttpStatusCode.Forbidden, (await commander.GetAsync("api/v1/video/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await commander.PutAsJsonAsync("api/v1/video/settings",
            new { triggerKinds = new[] { "gunshot" }, preSeconds = 1, postMinutes = 1, maxPtzCameras = 1 })).StatusCode);
        var page = await (await app.SignedInAsync(Users.Commander)).GetAsync("Video/Admin/Settings");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", page.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task The_settings_page_shows_form_errors_for_bad_input_and_saves_good_input_with_an_audit_record()
    {
        using var admin = await app.SignedInAsync(Users.Admin);
        var form = await admin.GetStringAsync("Video/Admin/Settings");
        Assert.Contains("value=\"gunshot\"", form);
        var audits = await app.CountAsync(SettingsAudits);
        try
        {
            var bad = await PostAsync(admin, form, "gunshot, fireworks", "700", "5", "10");
            Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
            var badHtml = WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync());
            Assert.Contains($"'fireworks' is not an incident kind; known: {string.Join(", ", SafeCities.Modules.Alerts.Contracts.IncidentKinds.All)}.", badHtml);
            Assert.Contains("'Pre Seconds' must be between 0 and 600", badHtml);
            Assert.DoesNotContain("id=\"settings-saved\"", badHtml);
            Assert.Equal(audits, await app.CountAsync(SettingsAudits));

            var good = await PostAsync(admin, form, "gunshot", "120", "20", "3");
            var goodHtml = await good.Content.ReadAsStringAsync();
            Assert.Contains("id=\"settings-saved\"", goodHtml);
            Assert.Contains("by admin@safecities.test", goodHtml);
            Assert.Equal(audits + 1, await app.CountAsync(SettingsAudits));
            Assert.Equal(1, await app.CountAsync("""
                SELECT count(*) FROM audit.entries WHERE module = 'Video' AND action = 'settings.updated' AND actor = 'admin@safecities.test'
                  AND (details -> 'after' ->> 'postMinutes')::int = 20 AND id = (SELECT max(id) FROM audit.entries WHERE module = 'Video')
                """));
            using var apiClient = app.AdminClient();
            var api = await apiClient.GetFromJsonAsync<JsonObject>("api/v1/video/settings");
            Assert.Equal((120, 20, 3), (api!["preSeconds"]!.GetValue<int>(), api["postMinutes"]!.GetValue<int>(), api["maxPtzCameras"]!.GetValue<int>()));
        }
        finally
        {
            await app.RestoreDefaultReactionSettingsAsync();
        }
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string form, string kinds, string pre, string post, string max) =>
        client.PostAsync("Video/Admin/Settings", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.TriggerKinds"] = kinds, ["Input.PreSeconds"] = pre, ["Input.PostMinutes"] = post, ["Input.MaxPtzCameras"] = max,
            ["__RequestVerificationToken"] = Browserless.AntiforgeryToken(form),
        }));

}
