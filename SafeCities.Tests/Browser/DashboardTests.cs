using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace SafeCities.Tests.Browser;

/// <summary>Debian's Chromium driven by Playwright against the real app (never a downloaded browser).</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardTests(AppFixture app) : BrowserTest
{
    private async Task<IPage> SignInAsync(string email, ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = viewport });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        Assert.Contains("/Account/Login", page.Url);
        await SignInAsync(page, email);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Assertions.Expect(page.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });
        return page;
    }

    [Fact]
    public async Task A_posted_gunshot_appears_on_the_board_without_reload_and_can_be_acknowledged()
    {
        var page = await SignInAsync(Users.Commander);
        var consoleErrors = ConsoleErrors(page);
        await MarkDrawnAsync(page);

        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var device = app.Client(key);
        var (lat, lon) = (38.8531 + Random.Shared.NextDouble() / 100, -76.9932);
        var posted = await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, lat, lon, rounds: 5));
        var id = (await posted.ReadJsonAsync())["incidentId"]!.GetValue<Guid>();

        var row = page.Locator($"#incidents tr[data-incident-id='{id}']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 10000 });
        await Assertions.Expect(row).ToContainTextAsync("5 rounds");
        await AssertNotReloadedAsync(page);
        Assert.True(await page.EvaluateAsync<int>("() => document.querySelectorAll('.leaflet-interactive').length") >= 1, "no marker on the map");

        var link = await row.GetByRole(AriaRole.Link).GetAttributeAsync("href");
        await row.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "acknowledged");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, "dashboard.png"), FullPage = true });

        // Open incidents come first: with many open ones (a whole suite's), the acknowledged row may move to a later page; follow its link.
        Assert.Equal($"/Alerts/Incidents/Details/{id}", link);
        await page.GotoAsync(link!);
        // Opened and acknowledged; the modules' reactions (cameras, lights…) may be on the timeline as well.
        var lifecycle = page.Locator("#timeline li").Filter(new() { Has = page.Locator("span.badge", new() { HasTextRegex = new Regex("^(Sensors|Alerts)$") }) });
        await Assertions.Expect(lifecycle).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("Acknowledged by commander@safecities.test");
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }

    [Fact]
    public async Task The_board_fits_a_phone()
    {
        var page = await SignInAsync(Users.Officer, new ViewportSize { Width = 390, Height = 844 });
        await Assertions.Expect(page.Locator("#map")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#incidents")).ToBeVisibleAsync();
        Assert.Empty(await PageFit.ProblemsAsync(page));   // nothing scrolls sideways, no table is cut off, no word squeezed
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, "dashboard-phone.png") });
    }
}
