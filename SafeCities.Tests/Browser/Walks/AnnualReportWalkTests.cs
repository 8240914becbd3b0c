using SafeCities.Tests.Integration.Intelligence;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Playwright;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Features;
using SafeCities.Modules.Platform.Reports;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Time;
using Microsoft.EntityFrameworkCore;

namespace SafeCities.Tests.Browser.Walks;

/// <summary>
/// The public reads the annual surveillance report (ADR 0045): a table per technology, the deletion log with its anchor, searches by offence
/// (counts only, never the case), the year picker,
/// the print button and the page as printed. Desktop and phone; screenshots <c>walk-annual-report-*</c>.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AnnualReportWalkTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task The_public_reads_this_years_report_picks_last_year_and_prints_on_desktop_and_phone()
    {
        // A purge of 3 old reads, written to the audit chain, so the deletion log has a row (signed once the day's anchor is made).
        var now = DateTimeOffset.UtcNow;
        var oldDay = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-46);
        await app.InScopeAsync(sp => sp.GetRequiredService<PlateReadPartitions>().EnsureAsync([oldDay], default));
        await app.ExecuteAsync($"""
            INSERT INTO plates.plate_reads (id, reader_id, read_id, plate, region, captured_at, received_at, confidence, latitude, longitude)
            SELECT gen_random_uuid(), '{Guid.NewGuid()}', 'walk-' || i, 'WALK' || i, 'DC', '{oldDay:yyyy-MM-dd} 10:00:00+00'::timestamptz + i * interval '1 minute', now(), 0.9, 38.9, -77.0
            FROM generate_series(1, 3) i
            """);
        await app.InScopeAsync(sp => sp.GetRequiredService<PlateReadRetentionJob>().PurgeAsync(default));
        var hash = await app.InScopeAsync(async sp => await sp.GetRequiredService<AuditDbContext>().Entries
            .Where(e => e.Module == "Plates" && e.Action == AuditPurge.Action).OrderByDescending(e => e.Id).Select(e => e.Hash).FirstAsync());
        var zone = CityZone.Id(app.Services.GetRequiredService<IConfiguration>());
        var year = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(zone)).Year;
        // A plate search that stated its case and offence (ADR 0047), as the look-up audits it: the report counts it under that offence.
        await app.ExecuteAsync("""
            INSERT INTO audit.entries (at, actor, module, action, purpose, details)
            VALUES (now(), 'walk-analyst', 'Plates', 'search', NULL, '{"caseNumber": "2026-000777", "offence": "motor vehicle theft"}'::jsonb)
            """);
        app.Services.GetRequiredService<IMemoryCache>().Remove(GetAnnualReportQueryHandler.CacheKey(year, zone));

        // The oversight body records a closed complaint and a cost line on its pages (ADR 0052); the report then counts them, without the summary.
        var reviewer = await app.CreateUserAsync(Roles.Oversight);
        var secret = $"Walk complainant {Guid.NewGuid():N}";
        var funds = new List<string>();
        foreach (var (viewport, name) in new[] { (RoleWalk.Desktop, "oversight-records"), (RoleWalk.Phone, "oversight-records-phone") })
        {
            await using var walk = await RoleWalk.StartAsync(Browser, app, reviewer, viewport, name);
            await walk.GotoAsync($"/Oversight/Cases?year={year}");
            await walk.Page.Locator("#Input_Technology").SelectOptionAsync("plate-readers");
            await walk.Page.Locator("#Input_Kind").SelectOptionAsync("complaint");
            await walk.Page.Locator("#Input_Summary").FillAsync(secret);
            await walk.Page.Locator("#Input_Status").SelectOptionAsync("closed");
            await walk.Page.Locator("#Input_Finding").SelectOptionAsync("sustained");
            await walk.Page.Locator("#Input_Action").SelectOptionAsync("training");
            await walk.Page.Locator("#case-save").ClickAsync();
            await Assertions.Expect(walk.Page.Locator("#case-saved")).ToBeVisibleAsync();
            await Assertions.Expect(walk.Page.Locator("#cases")).ToContainTextAsync(secret);
            await walk.ShotAsync("cases");

            var fund = $"Walk grant {Guid.NewGuid():N}"[..24];
            funds.Add(fund);
            await walk.GotoAsync($"/Oversight/Costs?year={year}");
            await walk.Page.Locator("#Input_Technology").SelectOptionAsync("plate-readers");
            await walk.Page.Locator("#Input_Year").FillAsync(year.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await walk.Page.Locator("#Input_Category").SelectOptionAsync("maintenance");
            await walk.Page.Locator("#Input_Amount").FillAsync("-5");
            await walk.Page.Locator("#Input_FundingSource").FillAsync(fund);
            await walk.Page.Locator("#cost-save").ClickAsync();
            await Assertions.Expect(walk.Page.Locator("#cost-form .alert-danger")).ToContainTextAsync("may not be negative");
            await walk.ShotAsync("cost-refused");
            await walk.Page.Locator("#Input_Amount").FillAsync("1250.75");
            // The field was scrolled to at once: the page is not still gliding towards it (where a tap would land on what passes under it).
            Assert.Equal(0, await walk.Page.EvaluateAsync<double>(
                "() => new Promise(done => { const y = scrollY; requestAnimationFrame(() => requestAnimationFrame(() => done(scrollY - y))); })"));
            await walk.Page.Locator("#cost-save").ClickAsync();
            await Assertions.Expect(walk.Page.Locator("#cost-saved")).ToBeVisibleAsync();
            await Assertions.Expect(walk.Page.Locator("#costs")).ToContainTextAsync(fund);
            await walk.ShotAsync("costs");
            await walk.AssertCleanAsync();
        }
        app.Services.GetRequiredService<IMemoryCache>().Remove(GetAnnualReportQueryHandler.CacheKey(year, zone));

        foreach (var (viewport, name) in new[] { (RoleWalk.Desktop, "annual-report"), (RoleWalk.Phone, "annual-report-phone") })
        {
            await using var walk = await RoleWalk.StartAsync(Browser, app, null, viewport, name);
            await walk.GotoAsync($"/Transparency/Reports/{year}");
            await Assertions.Expect(walk.Page.Locator("h1")).ToHaveTextAsync($"Annual surveillance report {year}");
            foreach (var technology in new[] { "acoustic", "plate-readers", "cameras", "environmental", "intelligence-search" })
                await Assertions.Expect(walk.Page.Locator($"#tech-{technology}")).ToBeVisibleAsync();
            var deletion = walk.Page.Locator($"#tech-plate-readers table[data-role='deletions'] tr[data-day='{oldDay:yyyy-MM-dd}']").First;
            await Assertions.Expect(deletion).ToBeVisibleAsync();
            await Assertions.Expect(deletion.Locator("td[data-label='Entry']")).ToContainTextAsync(hash[..12]);
            await Assertions.Expect(walk.Page.Locator("body")).Not.ToContainTextAsync("WALK1");
            var theft = walk.Page.Locator("#tech-plate-readers table[data-role='searches-by-offence'] tr[data-offence='motor vehicle theft']");
            await Assertions.Expect(theft).ToBeVisibleAsync();
            await Assertions.Expect(theft.Locator("td[data-role='count']")).Not.ToHaveTextAsync("0");
            await Assertions.Expect(walk.Page.Locator("body")).Not.ToContainTextAsync("2026-000777");
            var complaints = walk.Page.Locator("#tech-plate-readers table[data-role='oversight'] tr[data-kind='complaint']");
            await Assertions.Expect(complaints.Locator("td[data-role='findings']")).ToContainTextAsync("sustained");
            await Assertions.Expect(walk.Page.Locator("#tech-plate-readers table[data-role='costs']")).ToContainTextAsync(funds[0]);
            await Assertions.Expect(walk.Page.Locator("body")).Not.ToContainTextAsync(secret);
            await walk.ShotAsync("this-year");

            // The year picker: last year's report, then back.
            await walk.Page.Locator($"#years a[href='/Transparency/Reports/{year - 1}']").ClickAsync();
            await walk.Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == $"/Transparency/Reports/{year - 1}");
            await Assertions.Expect(walk.Page.Locator("h1")).ToHaveTextAsync($"Annual surveillance report {year - 1}");
            await walk.ShotAsync("last-year");

            // Print / save as PDF: the browser's print; the print stylesheet hides the navigation, the picker and the button.
            await walk.GotoAsync($"/Transparency/Reports/{year}");
            await Assertions.Expect(walk.Page.Locator("[data-print]")).ToBeVisibleAsync();
            await walk.Page.EvaluateAsync("() => { window.print = () => { document.body.dataset.printed = 'yes'; }; }");
            await walk.Page.Locator("[data-print]").ClickAsync();
            await Assertions.Expect(walk.Page.Locator("body")).ToHaveAttributeAsync("data-printed", "yes");
            await walk.Page.EmulateMediaAsync(new() { Media = Media.Print });
            await Assertions.Expect(walk.Page.Locator("nav.navbar")).ToBeHiddenAsync();
            await Assertions.Expect(walk.Page.Locator("#years")).ToBeHiddenAsync();
            await Assertions.Expect(walk.Page.Locator("[data-print]")).ToBeHiddenAsync();
            await walk.ShotAsync("print");
            await walk.Page.EmulateMediaAsync(new() { Media = Media.Screen });
            await walk.AssertCleanAsync();
        }
    }
}
