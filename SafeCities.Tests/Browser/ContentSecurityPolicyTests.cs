using System.Text.Json;
using Microsoft.Playwright;
using SafeCities.Tests.Integration.Intelligence;

namespace SafeCities.Tests.Browser;

/// <summary>
/// Every page under the strict Content-Security-Policy in Debian's Chromium, as the roles that use them, on a desktop and a phone:
/// no violation is reported (no inline script, style attribute or outside resource left), the maps and the chart still draw, the page fits
/// its screen (<see cref="PageFit"/>), the live connection comes up; and signing out ends the session for every role.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ContentSecurityPolicyTests(AppFixture app) : BrowserTest
{
    private static readonly ViewportSize Desktop = new() { Width = 1440, Height = 900 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>A signed-in page whose policy violations and console errors (on any page it goes to) are collected.</summary>
    private async Task<(IPage Page, List<string> Problems)> SignedInAsync(string email, ViewportSize viewport)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = viewport });
        var page = await context.NewPageAsync();
        // Chromium reports each violation on the console as well; the event names the directive and the blocked source.
        var problems = ConsoleErrors(page);
        await context.ExposeFunctionAsync("__reportViolation", (string v) => { lock (problems) problems.Add("CSP " + v); });
        await context.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e =>
              window.__reportViolation(`${location.pathname}: ${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber} ${e.sample})`));
            """);
        page.PageError += (_, e) => { lock (problems) problems.Add($"{page.Url}: {e}"); };
        await page.GotoAsync("/Account/Login");
        await SignInAsync(page, email);
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        return (page, problems);
    }

    [Fact]
    public async Task Every_page_draws_for_its_roles_on_desktop_and_phone_without_a_policy_violation()
    {
        var person = await SightedPerson.CreateAsync(app);   // incidents with tied reads, readers, two agencies, a person on parole
        var incident = person.Tied;
        var (lat, lon) = Api.Place();
        await app.RegisterDeviceAsync(DeviceKinds.Camera, lat, lon, new { type = "fixed", headingDegrees = 45.0, fieldOfViewDegrees = 70.0 });
        var oversight = await app.CreateUserAsync(Roles.Oversight);
        var personPage = $"/Intelligence/Persons/{person.Id}?{Stated.Query}&purpose=case%2017%20csp";
        string[] incidentPages = [$"/Alerts/Incidents/Details/{incident}", $"/respond/{incident}", $"/Lighting/Incidents/Details/{incident}",
            $"/Video/Incidents/Cameras/{incident}", $"/Plates/Incidents/Reads/{incident}"];
        var walks = new (string Who, string[] Paths)[]
        {
            (Users.Admin, ["/", .. incidentPages, "/Lighting/Outages", "/Plates/Hits", $"/Plates/Search?plate=S*&{Stated.Query}&purpose=case%2017%20csp", "/Plates/Colocation",
                "/Plates/Hotlists", $"/Intelligence/Search?q=Sam&{Stated.Query}&purpose=case%2017%20csp", personPage, "/Audit", "/Transparency", "/Me/Password",
                "/Admin/Devices", "/Admin/DeviceHealth", "/Sensors/Admin/Rules", "/Admin/Users", "/Admin/ApiClients", "/Lighting/Admin/Streetlights", "/Lighting/Admin/Settings", "/Video/Admin/Cameras",
                "/Video/Admin/Settings", "/Plates/Admin/Readers", "/Plates/Admin/Settings", "/Intelligence/Admin/AccessRules", "/Intelligence/Admin/Watchlist",
                "/Intelligence/Admin/Import", "/Account/AccessDenied", "/Error"]),
            (Users.Commander, ["/", .. incidentPages, "/Lighting/Outages", "/Plates/Hits", "/Intelligence/Search", "/Alerts/PublicAlerts",
                $"/Alerts/PublicAlerts/Draft?incidentId={incident}", "/alerts", "/Alerts/CitizenReports", "/report", "/Sensors/Environment"]),
            (Users.Officer, ["/", $"/respond/{incident}", $"/Alerts/Incidents/Details/{incident}", "/Plates/Hits", personPage, "/Me/Password"]),
            (Users.Analyst, ["/", $"/Plates/Search?plate=S*&{Stated.Query}&purpose=case%2017%20csp", "/Plates/Colocation", "/Plates/Hotlists", $"/Intelligence/Search?q=Sam&{Stated.Query}&purpose=case%2017%20csp"]),
            (oversight, ["/Oversight", "/Audit", "/Transparency", "/alerts"]),
        };

        var problems = new List<string>();
        var maps = 0;
        foreach (var (viewport, device) in new[] { (Desktop, "desktop"), (Phone, "phone") })
            foreach (var (who, paths) in walks)
            {
                var (page, found) = await SignedInAsync(who, viewport);
                foreach (var path in paths)
                {
                    var response = await page.GotoAsync(path);
                    Assert.True(response!.Ok || path == "/Error", $"{who} {path}: {response.Status}");
                    Assert.Equal(path.Split('?')[0], new Uri(page.Url).AbsolutePath);
                    await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                    maps += await AssertMapsAndChartsDrawAsync(page, $"{who} {device} {path}");
                    problems.AddRange((await PageFit.ProblemsAsync(page)).Select(p => $"{device} {who} {path}: {p}"));
                    if (device == "desktop" && who == Users.Admin && path is "/" or "/Audit" or "/Admin/Devices" || device == "phone" && path.StartsWith("/respond/", StringComparison.Ordinal))
                        await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ResultsDirectory, $"csp-{device}-{path.Trim('/').Split('/')[0].ToLowerInvariant() switch { "" => "board", var p => p }}.png"), FullPage = true });
                }
                // The live connection (a WebSocket under connect-src 'self') is up on the last page.
                await Assertions.Expect(page.Locator("body[data-hub='live']")).ToHaveCountAsync(1, new() { Timeout = 15000 });
                problems.AddRange(found.Select(f => $"{device} {who}: {f}"));
                await page.Context.CloseAsync();
            }
        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct()));
        Assert.True(maps > 40, $"only {maps} maps drawn");
    }

    /// <summary>Every Leaflet map on the page has its panes, its zoom control and a real height; the audit chart is drawn at its height.</summary>
    private static async Task<int> AssertMapsAndChartsDrawAsync(IPage page, string where)
    {
        var maps = await page.EvaluateAsync<JsonElement>("""
            () => [...document.querySelectorAll('.leaflet-container')].map(m => ({
              id: m.id, height: m.getBoundingClientRect().height, panes: !!m.querySelector('.leaflet-map-pane .leaflet-overlay-pane'),
              zoom: !!m.querySelector('.leaflet-control-zoom-in'), moved: getComputedStyle(m.querySelector('.leaflet-map-pane')).transform !== 'none' }))
            """);
        foreach (var map in maps.EnumerateArray())
        {
            Assert.True(map.GetProperty("panes").GetBoolean() && map.GetProperty("zoom").GetBoolean(), $"{where}: map {map} not drawn");
            Assert.True(map.GetProperty("height").GetDouble() >= 150, $"{where}: map {map} has no height (its size class is missing)");
            Assert.True(map.GetProperty("moved").GetBoolean(), $"{where}: Leaflet could not position its panes ({map})");
        }
        if (new Uri(page.Url).AbsolutePath == "/Audit")
        {
            Assert.True(await page.EvaluateAsync<bool>("() => !!Chart.getChart('audit-chart')"), $"{where}: no chart");
            // At least its 220 px, and a plot of at least 140 px however many kinds the legend lists (on a phone the legend of this test
            // database's dozens of kinds took the whole box): the box grows by what the legend takes from the plot.
            await page.WaitForFunctionAsync("() => { const c = Chart.getChart('audit-chart'); return c.chartArea.bottom - c.chartArea.top >= 139; }", null, new() { Timeout = 5000 });
            Assert.InRange(await page.EvaluateAsync<double>("() => document.getElementById('audit-chart').parentElement.getBoundingClientRect().height"), 220, 2000);
        }
        if (new Uri(page.Url).AbsolutePath.StartsWith("/respond/", StringComparison.Ordinal))
            Assert.Equal(Math.Round(0.38 * page.ViewportSize!.Height), Math.Round(await page.EvaluateAsync<double>("() => document.getElementById('map').getBoundingClientRect().height")), 1);
        return maps.GetArrayLength();
    }

    [Fact]
    public async Task The_job_dashboard_and_the_api_reference_work_within_their_narrow_exceptions()
    {
        var (page, problems) = await SignedInAsync(Users.Admin, Desktop);
        await page.GotoAsync("/hangfire/recurring");
        await Assertions.Expect(page.GetByText("outbox:sweep").First).ToBeVisibleAsync();
        // The dashboard polls its statistics with POSTs that carry its antiforgery header (its meta tags): a refusal would be a console error.
        await page.GotoAsync("/hangfire");
        await Assertions.Expect(page.Locator(".navbar-brand")).ToContainTextAsync("Hangfire");
        await page.WaitForTimeoutAsync(2500);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ResultsDirectory, "csp-desktop-hangfire.png") });
        await page.GotoAsync("/api/docs/");
        // Scalar renders the operations of our OpenAPI document (fetched from this origin).
        await Assertions.Expect(page.Locator("a[href*='/api/v1/']").First).ToBeAttachedAsync(new() { Timeout = 20000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ResultsDirectory, "csp-desktop-api-docs.png") });
        // The one refusal there is expected: Scalar's schema library (Zod) probes whether it may compile code with Function("") and,
        // refused (no 'unsafe-eval', on purpose), validates without compiling. Anything else is a problem.
        static bool EvalProbe(string p) => p.Contains("/api/docs/scalar.js", StringComparison.Ordinal) && p.Contains("eval", StringComparison.Ordinal);
        var others = problems.Where(p => !EvalProbe(p)).ToList();
        Assert.True(others.Count == 0, string.Join("\n", others.Distinct()));
    }

    [Fact]
    public async Task Signing_out_ends_the_session_for_every_role_on_desktop_and_phone()
    {
        var oversight = await app.CreateUserAsync(Roles.Oversight);
        var judge = await app.CreateUserAsync(Roles.Judge);
        foreach (var (who, viewport, protectedPage) in new[]
                 {
                     (Users.Commander, Desktop, "/"), (Users.Officer, Phone, "/Plates/Hits"), (Users.Analyst, Desktop, "/Plates/Search"),
                     (Users.Admin, Phone, "/Admin/Users"), (oversight, Desktop, "/Audit"), (judge, Phone, "/Intelligence/Search"),
                 })
        {
            var (page, problems) = await SignedInAsync(who, viewport);
            await page.GotoAsync(protectedPage);
            Assert.Equal(protectedPage, new Uri(page.Url).AbsolutePath);
            if (viewport == Phone)
                await OpenMenuAsync(page);
            var signOut = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync(),
                r => r.Url.EndsWith("/Account/Logout", StringComparison.Ordinal));
            Assert.True(signOut.Status == 302, $"{who}: sign-out answered {signOut.Status}");
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Account/Login");
            Assert.True(!(await page.Context.CookiesAsync()).Any(c => c.Name == "safecities.auth"),
                $"{who}: the sign-in cookie is still there; " + string.Join(" | ", await signOut.HeadersArrayAsync().ContinueWith(t => t.Result.Select(h => $"{h.Name}: {h.Value}"))));

            // The session is gone: the protected page sends the person to the login page again.
            await page.GotoAsync(protectedPage);
            Assert.Equal("/Account/Login", new Uri(page.Url).AbsolutePath);
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
            Assert.True(problems.Count == 0, $"{who}: " + string.Join("\n", problems));
            await page.Context.CloseAsync();
        }
    }
}
