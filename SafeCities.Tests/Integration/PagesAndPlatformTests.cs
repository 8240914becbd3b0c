using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Features;
using SafeCities.Modules.Platform.Identity;

namespace SafeCities.Tests.Integration;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class PagesAndPlatformTests(AppFixture app)
{
    private async Task<Guid> OpenIncidentAsync()
    {
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var device = app.Client(key);
        var (lat, lon) = Api.Place();
        return (await (await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, lat, lon))).ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
    }

    [Fact]
    public async Task The_responder_page_is_for_responders_and_knows_where_to_go()
    {
        var id = await OpenIncidentAsync();
        using var officer = await app.SignedInAsync(Users.Officer);
        var page = await officer.GetAsync($"respond/{id}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Navigate", html);
        Assert.Contains("href=\"geo:", html);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync($"respond/{Guid.NewGuid()}")).StatusCode);
        using var analyst = await app.SignedInAsync(Users.Analyst);
        var denied = await analyst.GetAsync($"respond/{id}");
        Assert.StartsWith("/Account/AccessDenied", denied.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task The_audit_log_is_append_only()
    {
        await using var db = new NpgsqlConnection(app.ConnectionString);
        await db.OpenAsync();
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO audit.entries (at, actor, module, action, purpose, details) VALUES (now(), 'tester', 'Tests', 'probe', 'case 1', '{}') RETURNING id", db))
        {
            var id = (long)(await insert.ExecuteScalarAsync())!;
            await using var update = new NpgsqlCommand($"UPDATE audit.entries SET actor = 'someone else' WHERE id = {id}", db);
            Assert.Contains("append-only", (await Assert.ThrowsAsync<PostgresException>(() => update.ExecuteNonQueryAsync())).MessageText);
            await using var delete = new NpgsqlCommand($"DELETE FROM audit.entries WHERE id = {id}", db);
            await Assert.ThrowsAsync<PostgresException>(() => delete.ExecuteNonQueryAsync());
        }
    }

    [Fact]
    public async Task Administrators_register_devices_and_clients_on_pages_and_see_each_key_once()
    {
        using var admin = await app.SignedInAsync(Users.Admin);
        var (lat, lon) = Api.Place();
        var registered = await admin.PostFormAsync("Admin/Devices", new Dictionary<string, string>
        {
            ["Input.Kind"] = DeviceKinds.Camera, ["Input.Name"] = "Page camera", ["Input.Latitude"] = lat.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Longitude"] = lon.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Input.SettingsJson"] = "{\"type\":\"ptz\",\"rangeMeters\":200}",
        });
        var key = Key().Match(registered).Groups[1].Value;
        Assert.StartsWith("sck_", key);
        Assert.DoesNotContain(key, await admin.GetStringAsync("Admin/Devices"));

        var invalid = await admin.PostFormAsync("Admin/Devices", new Dictionary<string, string>
        {
            ["Input.Kind"] = DeviceKinds.Camera, ["Input.Name"] = "Bad camera", ["Input.Latitude"] = "10", ["Input.Longitude"] = "10",
            ["Input.SettingsJson"] = "{\"fieldOfViewDegrees\":400}",
        });
        Assert.Contains("settings.fieldOfViewDegrees", invalid);
        Assert.DoesNotMatch(Key(), invalid);

        var client = await admin.PostFormAsync("Admin/ApiClients?handler=Create", new Dictionary<string, string> { ["Input.Name"] = "Records bridge", ["Input.Role"] = Roles.Analyst });
        var clientKey = Key().Match(client).Groups[1].Value;
        using var bridge = app.Client(clientKey);
        Assert.Equal(HttpStatusCode.OK, (await bridge.GetAsync("api/v1/incidents")).StatusCode);

        using var officer = await app.SignedInAsync(Users.Officer);
        Assert.StartsWith("/Account/AccessDenied", (await officer.GetAsync("Admin/ApiClients")).Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task The_one_time_admin_command_creates_an_administrator_with_a_generated_password()
    {
        var email = $"chief-{Guid.NewGuid():N}@city.test";
        var password = await app.InScopeAsync(sp => sp.GetRequiredService<IdentitySeeder>().CreateAdministratorAsync(email));
        Assert.True(password.Length >= 20);
        using var client = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, password)).StatusCode);
        // The printed password is one-time: the first thing the new administrator does is choose their own.
        var gated = await client.GetAsync("Admin/Devices");
        Assert.Equal(HttpStatusCode.Redirect, gated.StatusCode);
        Assert.Equal("/Me/Password?returnUrl=%2FAdmin%2FDevices", gated.Headers.Location!.OriginalString);
        await client.ReplaceOneTimePasswordAsync(password);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("Admin/Devices")).StatusCode);
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.InScopeAsync(sp => sp.GetRequiredService<IdentitySeeder>().CreateAdministratorAsync(email)));
    }

    [GeneratedRegex("<code class=\"d-block mt-1 user-select-all\">(sck_[^<]+)</code>")]
    private static partial Regex Key();
}
