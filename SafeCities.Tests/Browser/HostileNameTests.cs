using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SafeCities.Modules.Platform.ApiKeys;

namespace SafeCities.Tests.Browser;

/// <summary>Names are user input: a stored name that is markup must reach the board as text, never run.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed partial class HostileNameTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task An_officer_named_as_markup_shows_as_text_in_the_boards_map_tooltip()
    {
        var name = $"<img src=x onerror=\"window.__xss=1\">{Guid.NewGuid():N}";
        var key = await app.InScopeAsync(s => s.GetRequiredService<ApiKeyService>().CreateClientAsync(name, Roles.Officer, "tests", default));
        using var officer = app.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await officer.PutAsJsonAsync("api/v1/officers/me/position", new { latitude = 38.8531, longitude = -76.9929 })).StatusCode);

        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await SignInAsync(page, Users.Commander);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        var markers = page.Locator(".officer-marker");
        await Assertions.Expect(markers.First).ToBeAttachedAsync(new() { Timeout = 10000 });

        var tooltip = page.Locator(".leaflet-tooltip").Filter(new() { HasText = name });
        for (var i = 0; i < await markers.CountAsync() && await tooltip.CountAsync() == 0; i++)
            await markers.Nth(i).DispatchEventAsync("mouseover");
        await Assertions.Expect(tooltip).ToHaveCountAsync(1);
        Assert.Equal(0, await page.Locator(".leaflet-tooltip img").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"), "the name ran as markup");
    }

    [Fact]
    public void No_script_hands_a_string_to_Leaflet_or_to_innerHTML()
    {
        var scripts = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "SafeCities.Web", "wwwroot", "js");
        var files = Directory.GetFiles(scripts, "*.js", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        var sinks = files.SelectMany(f => File.ReadLines(f).Select((line, n) => (f, n, line)))
            .Where(x => HtmlSink().IsMatch(x.line))
            .Select(x => $"{Path.GetFileName(x.f)}:{x.n + 1}: {x.line.Trim()}").ToList();
        Assert.Empty(sinks);
    }

    // A template or quoted string straight into a tooltip/popup, or any HTML-parsing sink.
    [GeneratedRegex(@"bind(Tooltip|Popup)\(\s*[`'""]|\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write")]
    private static partial Regex HtmlSink();
}
