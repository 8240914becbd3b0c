using Mediator;
using SafeCities.Modules.Alerts.Contracts;
using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using SafeCities.Tests.Integration.Lighting;

namespace SafeCities.Tests.Browser;

/// <summary>The Lighting pages in Debian's Chromium: the chunked CSV import with its progress bar and report, outages on a phone.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class LightingPagesTests(AppFixture app) : BrowserTest
{
    private async Task<IPage> SignInAsync(string email, ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = viewport });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await SignInAsync(page, email);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        return page;
    }

    [Fact]
    public async Task A_csv_of_250_lights_is_imported_in_chunks_with_a_progress_bar_and_a_report_of_the_bad_lines()
    {
        var page = await SignInAsync(Users.Admin);
        var consoleErrors = ConsoleErrors(page);
        var chunks = 0;
        page.Request += (_, r) => { if (r.Url.EndsWith("/api/v1/lighting/streetlights/import", StringComparison.Ordinal)) Interlocked.Increment(ref chunks); };
        await page.GotoAsync("/Lighting/Admin/Streetlights");
        // Record every value the progress bar shows.
        await ObserveProgressAsync(page);

        var tag = Guid.NewGuid().ToString("N")[..8];
        var (lat, lon) = Api.Place();
        var csv = new StringBuilder("name,latitude,longitude,circuit,controllerId,normalLevel\n");
        for (var i = 1; i <= 250; i++)
        {
            var line = i switch
            {
                57 => $"BR-{tag}-{i},not-a-latitude,{lon.ToString(CultureInfo.InvariantCulture)},C-1,SEG-1,40",
                203 => $"BR-{tag}-{i},{lat.ToString(CultureInfo.InvariantCulture)},{lon.ToString(CultureInfo.InvariantCulture)},C-9,,40",
                _ => $"BR-{tag}-{i},{(lat + i * 1e-4).ToString(CultureInfo.InvariantCulture)},{lon.ToString(CultureInfo.InvariantCulture)},C-{i / 25},SEG-{i / 100},40",
            };
            csv.Append(line).Append("\r\n");
        }
        await page.GetByLabel("CSV file").SetInputFilesAsync(new FilePayload
            { Name = "lights.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv.ToString()) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();

        await Assertions.Expect(page.Locator("#import-status[data-done='ok']")).ToBeVisibleAsync(new() { Timeout = 30000 });
        await Assertions.Expect(page.Locator("#import-status")).ToContainTextAsync("Imported 248 lights; 2 lines rejected.");
        Assert.Equal(3, chunks);
        Assert.Equal(new[] { 0, 40, 80, 100 }, await ProgressAsync(page));
        await Assertions.Expect(page.Locator("#import-progress")).ToHaveAttributeAsync("aria-valuenow", "100");
        var rejected = page.Locator("#import-rejected li");
        await Assertions.Expect(rejected).ToHaveCountAsync(2);
        // The header is line 1, so light i is on line i + 1.
        await Assertions.Expect(rejected.Nth(0)).ToHaveTextAsync("Line 58: Latitude 'not-a-latitude' is not a number.");
        await Assertions.Expect(rejected.Nth(1)).ToContainTextAsync("Line 204: ControllerId is empty");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, "lighting-import.png"), FullPage = true });
        Assert.Equal(248, await app.CountAsync($"SELECT count(*) FROM lighting.streetlights WHERE name LIKE 'BR-{tag}-%'"));

        await page.GotoAsync("/Lighting/Admin/Streetlights");
        await Assertions.Expect(page.Locator("#streetlights tbody tr", new() { HasTextString = $"BR-{tag}-250" })).ToHaveCountAsync(1);
        Assert.True(await page.EvaluateAsync<int>("() => document.querySelectorAll('.leaflet-interactive').length") >= 248, "the lights are not on the map");
        Assert.True(consoleErrors.Count == 0, string.Join(" | ", consoleErrors));
    }

    [Fact]
    public async Task The_outages_page_fits_a_phone_and_shows_each_open_work_order_on_the_map()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.Streetlight, lat, lon);
        using (var device = app.Client(key))
            await device.PostAsJsonAsync("api/v1/lighting/faults", new { faults = new[] { new { kind = "lamp-failure", state = "active", at = DateTimeOffset.UtcNow } } });

        var page = await SignInAsync(Users.Officer, new ViewportSize { Width = 390, Height = 844 });
        var consoleErrors = ConsoleErrors(page);
        await page.GotoAsync("/Lighting/Outages");

        await Assertions.Expect(page.Locator("#map")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#work-orders")).ToContainTextAsync("lamp-failure");
        var open = await app.CountAsync("SELECT count(*) FROM lighting.work_orders WHERE closed_at IS NULL");
        Assert.Equal(open, await page.EvaluateAsync<int>("() => document.querySelectorAll('.leaflet-interactive').length"));
        Assert.Empty(await PageFit.ProblemsAsync(page));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, "lighting-outages-phone.png") });
        Assert.True(consoleErrors.Count == 0, string.Join(" | ", consoleErrors));
    }

    [Fact]
    public async Task The_incident_lighting_page_draws_the_lights_of_the_incident()
    {
        var (lat, lon) = LightingTestKit.PlaceWhereItIs(dark: true);
        await app.EnsureDefaultSettingsAsync();
        await app.AddLightsAsync(lat, lon, (20, 0), (40, 180), (600, 90));
        var incidentId = Guid.CreateVersion7();
        await app.PublishIncidentAsync(incidentId, lat, lon);

        var page = await SignInAsync(Users.Commander);
        var consoleErrors = ConsoleErrors(page);
        await page.GotoAsync($"/Lighting/Incidents/Details/{incidentId}");

        await Assertions.Expect(page.Locator("#incident-lighting-summary")).ToContainTextAsync("2 lights within 150 m raised to 100 %");
        await Assertions.Expect(page.Locator("#incident-lights li[data-state='raised']")).ToHaveCountAsync(2);
        Assert.Equal(2, await page.EvaluateAsync<int>("() => document.querySelectorAll('.leaflet-interactive').length"));
        Assert.True(consoleErrors.Count == 0, string.Join(" | ", consoleErrors));
    }

    [Fact]
    public async Task The_incident_page_streetlights_follow_lightings_reports_and_are_drawn_once_on_the_map()
    {
        var (lat, lon) = LightingTestKit.PlaceWhereItIs(dark: true);
        await app.EnsureDefaultSettingsAsync();
        await app.AddLightsAsync(lat, lon, (20, 0), (40, 180));
        var page = await SignInAsync(Users.Commander);
        var consoleErrors = ConsoleErrors(page);
        // Opened at once, as from the board: the lights are raised while the page is open (or just before; the section shows them either way).
        var incidentId = await app.PostGunshotAsync(lat, lon);
        await page.GotoAsync($"/Alerts/Incidents/Details/{incidentId}");
        await Assertions.Expect(page.Locator("#incident-lights li[data-state='raised']")).ToHaveCountAsync(2, new() { Timeout = 15000 });
        await Assertions.Expect(page.Locator("#incident-lighting-summary")).ToContainTextAsync("2 lights within 150 m raised to 100 %");
        const string shapes = "() => document.querySelectorAll('#map .leaflet-interactive').length";
        var drawn = await page.EvaluateAsync<int>(shapes);

        // A later report of Lighting's draws the section again from the server, and its lights again on the map, not twice.
        await page.EvaluateAsync("document.getElementById('incident-lighting').dataset.before = 'true'");
        await app.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<IPublisher>().Publish(new IncidentReactionReportedEvent(Guid.CreateVersion7(), incidentId, "Lighting",
                "LightsRestored", DateTimeOffset.UtcNow, "Lights restored (test report)"));
            return true;
        });
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("Lights restored (test report)");
        await Assertions.Expect(page.Locator("#incident-lighting[data-before]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#incident-lights li[data-state='raised']")).ToHaveCountAsync(2);
        Assert.Equal(drawn, await page.EvaluateAsync<int>(shapes));
        Assert.Equal(3, drawn); // the incident and its two lights
        Assert.True(consoleErrors.Count == 0, string.Join(" | ", consoleErrors));
    }
}
