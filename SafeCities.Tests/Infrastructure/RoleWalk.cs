using Microsoft.Playwright;

namespace SafeCities.Tests.Infrastructure;

/// <summary>
/// One role's walk through the app in its own browser context: signs in (or stays public), collects every console error, page error,
/// answer ≥ 500 and request outside the app's origin along the way, writes a screenshot per step to the test results
/// (<c>walk-{name}-{nn}-{step}.png</c>) and, disposed with <see cref="AssertCleanAsync"/>, fails the test if anything was collected.
/// </summary>
public sealed class RoleWalk : IAsyncDisposable
{
    public static readonly ViewportSize Desktop = new() { Width = 1440, Height = 900 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private readonly List<string> problems = [];
    private readonly string name;
    private int step;

    private RoleWalk(IBrowserContext context, IPage page, string name)
    {
        Context = context;
        Page = page;
        this.name = name;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>What went wrong so far (console errors, page errors, answers ≥ 500, requests outside the origin).</summary>
    public IReadOnlyList<string> Problems
    {
        get { lock (problems) return [.. problems.Distinct()]; }
    }

    /// <summary>
    /// A public walk (not signed in) with the device's location granted at <paramref name="at"/>, from a client address of its own (the public
    /// submissions' rate limit is per address).
    /// </summary>
    public static Task<RoleWalk> StartPublicAsync(IBrowser browser, AppFixture app, ViewportSize viewport, string name, (double Lat, double Lon) at) =>
        StartAsync(browser, app, null, viewport, name, new BrowserNewContextOptions
        {
            Geolocation = new Geolocation { Latitude = (float)at.Lat, Longitude = (float)at.Lon, Accuracy = 12 },
            Permissions = ["geolocation"],
            ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = Integration.Alerts.CitizenReportKit.NewAddress() },
        });

    /// <summary>Answers the public forms' question against scripts ("What is 3 + 4?").</summary>
    public static async Task AnswerChallengeAsync(IPage page)
    {
        var m = System.Text.RegularExpressions.Regex.Match(await page.Locator("#challenge-question").InnerTextAsync(), @"What is (\d+) \+ (\d+)\?");
        Assert.True(m.Success, "no question");
        await page.Locator("#Input_ChallengeAnswer").FillAsync((int.Parse(m.Groups[1].Value) + int.Parse(m.Groups[2].Value)).ToString());
    }

    /// <summary>Opens a context at <paramref name="viewport"/> and signs <paramref name="who"/> in (null: the public, not signed in).</summary>
    public static async Task<RoleWalk> StartAsync(IBrowser browser, AppFixture app, string? who, ViewportSize viewport, string name,
        BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = app.BaseAddress.ToString();
        options.ViewportSize = viewport;
        if (viewport.Width < 500)
        {
            options.IsMobile = true;
            options.HasTouch = true;
        }
        var context = await browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        var walk = new RoleWalk(context, page, name);
        walk.Watch(page, new Uri(app.BaseAddress.GetLeftPart(UriPartial.Authority)));
        if (who is not null)
        {
            await page.GotoAsync("/Account/Login");
            await page.GetByLabel("Email").FillAsync(who);
            await page.GetByLabel("Password").FillAsync(AppFixture.DemoPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/Account/Login", StringComparison.Ordinal));
        }
        return walk;
    }

    private void Watch(IPage page, Uri origin)
    {
        void Add(string problem)
        {
            lock (problems) problems.Add(problem);
        }
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Location.Contains("/favicon.ico", StringComparison.Ordinal))
                Add($"{page.Url}: console error: {m.Text} ({m.Location})");
        };
        page.PageError += (_, e) => Add($"{page.Url}: page error: {e}");
        page.Request += (_, r) =>
        {
            if (Uri.TryCreate(r.Url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" or "ws" or "wss"
                && (u.Host != origin.Host || u.Port != origin.Port))
                Add($"{page.Url}: request outside the origin: {r.Method} {r.Url}");
        };
        page.Response += (_, r) =>
        {
            if (r.Status >= 500)
                Add($"{page.Url}: {r.Status} from {r.Url}");
        };
    }

    /// <summary>Opens <paramref name="path"/>, asserts a 2xx answer and waits until the network is idle.</summary>
    public async Task GotoAsync(string path)
    {
        var response = await Page.GotoAsync(path);
        Assert.True(response is { Ok: true }, $"{name} {path}: {response?.Status}");
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>Writes a full-page screenshot of this step to the test results, and asserts it fits its screen (<see cref="PageFit"/>).</summary>
    public async Task ShotAsync(string what)
    {
        step++;
        var file = $"walk-{name}-{step:00}-{what}.png";
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, file), FullPage = true });
        var problems = await PageFit.ProblemsAsync(Page);
        Assert.True(problems.Count == 0, $"{name} {what} ({Page.Url}): {string.Join(" | ", problems)}");
    }

    /// <summary>
    /// Fails if anything went wrong during the walk. <paramref name="refusedOnPurpose"/>: API paths the walk sent bad input to on purpose —
    /// the browser logs their 4xx answer as a console error, which is then expected (a 5xx never is).
    /// </summary>
    public Task AssertCleanAsync(params string[] refusedOnPurpose)
    {
        var list = Problems.Where(p => !refusedOnPurpose.Any(path =>
            p.Contains("console error: Failed to load resource: the server responded with a status of 4", StringComparison.Ordinal)
            && p.Contains(path + ":", StringComparison.Ordinal))).ToList();
        Assert.True(list.Count == 0, $"{name}: " + string.Join("\n", list));
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
