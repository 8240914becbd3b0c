using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Tests.Browser;

/// <summary>An administrator imports the city's address points from the Addresses page: chunks, progress bar, bad lines reported (the streetlight import's mechanism).</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AddressImportPageTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task A_csv_of_450_address_points_is_imported_in_chunks_with_a_progress_bar()
    {
        await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Admin, RoleWalk.Desktop, "admin-addresses");
        var page = walk.Page;
        var chunks = 0;
        page.Request += (_, r) => { if (r.Url.EndsWith("/api/v1/addresses/import", StringComparison.Ordinal)) Interlocked.Increment(ref chunks); };
        await walk.GotoAsync("/Admin/Addresses");
        var before = int.Parse(await page.Locator("#address-count").TextContentAsync() ?? "", CultureInfo.InvariantCulture);
        await ObserveProgressAsync(page);

        var (lat, lon) = Api.Place();
        var street = $"Import {Guid.NewGuid():N}"[..15] + " Rd";
        var csv = new StringBuilder("number,street,lat,lon,place\n");
        for (var i = 1; i <= 450; i++)
        {
            var (a, b) = GeoMath.Offset(lat, lon, i * 10, 90);
            csv.Append(i == 300 ? "12,,1,1,\r\n" : string.Create(CultureInfo.InvariantCulture, $"{i * 2},{street},{a:0.0000000},{b:0.0000000},\r\n"));
        }
        await page.GetByLabel("CSV file").SetInputFilesAsync(new FilePayload { Name = "addresses.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv.ToString()) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();

        await Assertions.Expect(page.Locator("#import-status[data-done='ok']")).ToBeVisibleAsync(new() { Timeout = 30000 });
        await Assertions.Expect(page.Locator("#import-status")).ToHaveTextAsync("Imported 449 address points; 1 line rejected.");
        Assert.Equal(3, chunks);
        Assert.Equal(new[] { 0, 44, 89, 100 }, await ProgressAsync(page));
        await Assertions.Expect(page.Locator("#import-rejected li")).ToHaveTextAsync("Line 301: Street and place are both empty; a number needs a street.");
        await Assertions.Expect(page.Locator("#address-count")).ToHaveTextAsync((before + 449).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(449, await app.CountAsync($"SELECT count(*) FROM platform.address_points WHERE street = '{street}'"));
        await walk.ShotAsync("imported");
        await walk.AssertCleanAsync();
    }
}
