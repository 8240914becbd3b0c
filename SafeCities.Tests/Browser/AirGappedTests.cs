using Microsoft.Playwright;
using SafeCities.Tests.Integration.Intelligence;

namespace SafeCities.Tests.Browser;

/// <summary>
/// Air-gapped by default: each role's main pages, on a desktop or a phone, fetch nothing from any host but the app's own (no map tiles are
/// configured in the test app), log no console error and get no answer ≥ 500 — the API reference included.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AirGappedTests(AppFixture app) : BrowserTest
{
    private static readonly ViewportSize Desktop = new() { Width = 1440, Height = 900 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [Fact]
    public async Task The_main_pages_of_every_role_load_nothing_from_outside_the_apps_origin()
    {
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var device = app.Client(key);
        var (lat, lon) = Api.Place();
        var id = (await (await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, lat, lon, 2))).ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
        var oversight = await app.CreateUserAsync(Roles.Oversight);
        var origin = new Uri(app.BaseAddress.GetLeftPart(UriPartial.Authority));

        foreach (var (who, viewport, paths) in new (string?, ViewportSize, string[])[]
                 {
                     (Users.Commander, Desktop, ["/", $"/Alerts/Incidents/Details/{id}"]),
                     (Users.Officer, Phone, [$"/respond/{id}", "/Plates/Hits"]),
                     (Users.Analyst, Desktop, ["/Plates/Search", "/Intelligence/Search"]),
                     (oversight, Desktop, ["/Audit", "/Transparency"]),
                     (null, Phone, ["/Transparency"]),
                     (Users.Admin, Desktop, ["/api/docs"]),
                 })
        {
            var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = viewport });
            var page = await context.NewPageAsync();
            var problems = ConsoleErrors(page);
            page.Request += (_, r) =>
            {
                if (Uri.TryCreate(r.Url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" or "ws" or "wss"
                    && (u.Host != origin.Host || u.Port != origin.Port))
                    lock (problems) problems.Add($"{page.Url}: request outside the origin: {r.Method} {r.Url}");
            };
            page.Response += (_, r) =>
            {
                if (r.Status >= 500)
                    lock (problems) problems.Add($"{page.Url}: {r.Status} from {r.Url}");
            };
            page.PageError += (_, e) => { lock (problems) problems.Add($"{page.Url}: {e}"); };
            if (who is not null)
            {
                await page.GotoAsync("/Account/Login");
                await SignInAsync(page, who);
                await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/Account/Login", StringComparison.Ordinal));
            }
            foreach (var path in paths)
            {
                var response = await page.GotoAsync(path);
                Assert.True(response!.Ok, $"{who} {path}: {response.Status}");
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                var name = $"airgap-{(who ?? "public").Split('@')[0]}-{path.Trim('/').Split('/')[0].ToLowerInvariant()}";
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, (name.EndsWith('-') ? name + "board" : name) + ".png") });
            }
            if (paths.Contains("/api/docs"))
            {
                // The reference is drawn (its operations are listed), without hosted-service buttons.
                await Assertions.Expect(page.GetByText("/api/v1/intelligence/search").First).ToBeVisibleAsync(new() { Timeout = 15000 });
                foreach (var hosted in (string[])["Ask AI", "Deploy", "Open API Client"])
                    await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = hosted })).ToHaveCountAsync(0);
            }
            Assert.True(problems.Count == 0, $"{who ?? "public"}: " + string.Join("\n", problems.Distinct()));
            await context.CloseAsync();
        }
    }
}
