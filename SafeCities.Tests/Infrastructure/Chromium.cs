using Microsoft.Playwright;

namespace SafeCities.Tests.Infrastructure;

/// <summary>Debian's Chromium driven by Playwright (never a downloaded browser), with the flags this closed network needs.</summary>
public static class Chromium
{
    public static string ResultsDirectory => Environment.GetEnvironmentVariable("SAFECITIES_RESULTS") is { Length: > 0 } dir
        ? dir : Path.Combine(Path.GetTempPath(), "safecities-test-results");

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var executable = Environment.GetEnvironmentVariable("SAFECITIES_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(executable))
            throw new InvalidOperationException($"Chromium not found at {executable}: install Debian's chromium (scripts/test does) or set SAFECITIES_CHROMIUM.");
        Directory.CreateDirectory(ResultsDirectory);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }
}

/// <summary>A browser test class: one Chromium per class, launched before its tests and closed after them.</summary>
public abstract class BrowserTest : IAsyncLifetime
{
    private IPlaywright playwright = null!;

    protected IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync() => (playwright, Browser) = await Chromium.LaunchAsync();

    /// <summary>Marks the page as drawn once; <see cref="AssertNotReloadedAsync"/> fails if it was opened again since (a reload loses the mark).</summary>
    protected static Task MarkDrawnAsync(IPage page) => page.EvaluateAsync("() => window.__notReloaded = true");

    protected static async Task AssertNotReloadedAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => window.__notReloaded === true"), "the page was opened again");

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
    }

    /// <summary>
    /// Collects the page's console errors (a test ends by asserting there were none). Chromium's own request for a favicon is not
    /// the page's error.
    /// </summary>
    protected static List<string> ConsoleErrors(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Location.Contains("/favicon.ico", StringComparison.Ordinal))
                lock (errors)
                    errors.Add($"{m.Text} ({m.Location})");
        };
        return errors;
    }

    /// <summary>Fills in and submits the sign-in form the page shows (the login page, or a protected page's redirect to it).</summary>
    protected static async Task SignInAsync(IPage page, string email)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(AppFixture.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>A page of a browser context of its own, signed in as <paramref name="email"/> and on the board; its console errors are collected.</summary>
    protected async Task<(IPage Page, List<string> ConsoleErrors)> SignedInPageAsync(AppFixture app, string email)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var consoleErrors = ConsoleErrors(page);
        await page.GotoAsync("/Account/Login");
        await SignInAsync(page, email);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        return (page, consoleErrors);
    }

    /// <summary>
    /// A commander's page at <paramref name="path"/>, drawn (<paramref name="drawn"/> is in it) while its scripts — and so its connection to
    /// the incidents hub — are held back until <c>Release</c> is called: what happens meanwhile is pushed to nobody, as for a page opened a
    /// moment before it happened.
    /// </summary>
    protected async Task<(IPage Page, List<string> ConsoleErrors, Action Release)> OpenWithConnectionHeldAsync(AppFixture app, string path, string drawn)
    {
        var (page, consoleErrors) = await SignedInPageAsync(app, Users.Commander);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/lib/microsoft-signalr/**", async route => { await gate.Task; await route.ContinueAsync(); });
        await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.Commit });
        await page.Locator(drawn).WaitForAsync(new() { State = WaitForSelectorState.Attached });
        return (page, consoleErrors, gate.SetResult);
    }

    /// <summary>
    /// Opens the phone's menu and waits until Bootstrap has finished expanding it (<c>show</c>, no longer <c>collapsing</c>): a click on an
    /// item while the menu still grows lands on whatever is behind the clipped menu (on a busy machine the animation takes long).
    /// </summary>
    protected static async Task OpenMenuAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        await Assertions.Expect(page.Locator("#nav")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"(^|\s)show(\s|$)"));
        await Assertions.Expect(page.Locator("#nav")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("collapsing"));
    }

    /// <summary>Records every value the import progress bar (<c>#import-progress</c>) takes, for <see cref="ProgressAsync"/>.</summary>
    protected static Task ObserveProgressAsync(IPage page) => page.EvaluateAsync("""
        () => {
          window.__progress = [];
          const bar = document.getElementById('import-progress');
          new MutationObserver(() => window.__progress.push(Number(bar.getAttribute('aria-valuenow'))))
            .observe(bar, { attributes: true, attributeFilter: ['aria-valuenow'] });
        }
        """);

    protected static Task<int[]> ProgressAsync(IPage page) => page.EvaluateAsync<int[]>("() => window.__progress");
}
