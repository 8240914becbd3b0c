using SafeCities.Tests.Integration.Intelligence;
using System.Text.RegularExpressions;
using SafeCities.Tests.Integration.Video;

namespace SafeCities.Tests.Integration;

/// <summary>
/// An officer's acknowledged / en route / on scene is recorded per officer on the incident's timeline (module "Responders"), listed for
/// command staff with its time, refused for a closed incident or an unknown status, and never changes the incident's own status.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RespondStatusTests(AppFixture app)
{
    [Fact]
    public async Task Officers_report_their_status_and_command_staff_see_the_latest_of_each()
    {
        var incident = await app.PostGunshotAsync(Api.Place());
        var one = await app.CreateUserAsync(Roles.Officer);
        var two = await app.CreateUserAsync(Roles.Officer);
        using var first = await app.SignedInAsync(one, pageToken: true);
        using var second = await app.SignedInAsync(two, pageToken: true);

        async Task<HttpResponseMessage> Report(HttpClient c, string status) =>
            await c.PostAsJsonAsync($"api/v1/incidents/{incident}/responders/me", new { status });

        Assert.Equal(HttpStatusCode.OK, (await Report(first, "acknowledged")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Report(first, "en-route")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Report(first, "en-route")).StatusCode); // a repeat records nothing
        Assert.Equal(HttpStatusCode.OK, (await Report(second, "acknowledged")).StatusCode);
        var bad = await Report(first, "having-lunch");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("must be one of acknowledged, en-route, on-scene", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await first.PostAsJsonAsync($"api/v1/incidents/{Guid.NewGuid()}/responders/me", new { status = "en-route" })).StatusCode);
        // The cookie alone (no antiforgery header) changes nothing.
        using var bare = await app.SignedInAsync(one);
        Assert.Equal(HttpStatusCode.BadRequest, (await bare.PostAsJsonAsync($"api/v1/incidents/{incident}/responders/me", new { status = "on-scene" })).StatusCode);

        using var admin = app.AdminClient();
        var list = (await (await admin.GetAsync($"api/v1/incidents/{incident}/responders")).ReadJsonAsync()).AsArray();
        Assert.Equal([(two, "acknowledged"), (one, "en-route")],
            list.Select(r => (r!["userName"]!.GetValue<string>(), r["status"]!.GetValue<string>())));
        var detail = await (await admin.GetAsync($"api/v1/incidents/{incident}")).ReadJsonAsync();
        Assert.Equal("open", detail["incident"]!["status"]!.GetValue<string>());
        var entries = detail["timeline"]!.AsArray().Where(t => t!["module"]!.GetValue<string>() == "Responders").Select(t => t!["text"]!.GetValue<string>()).ToList();
        Assert.Equal([$"{one}: acknowledged", $"{one}: en route", $"{two}: acknowledged"], entries);

        // The incident page shows command staff who responds, in city time.
        using var commander = await app.SignedInAsync(Users.Commander);
        var page = await commander.GetStringAsync($"Alerts/Incidents/Details/{incident}");
        Assert.Contains("id=\"incident-address\"", page);
        Assert.Matches($@"data-user=""{Regex.Escape(one)}"" data-status=""en-route"">{Regex.Escape(one)} en route <time", page);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"api/v1/incidents/{incident}/close", new { outcome = "no-evidence" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Report(second, "en-route")).StatusCode);
    }
}
