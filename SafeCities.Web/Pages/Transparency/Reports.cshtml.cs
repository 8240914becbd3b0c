using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Web.Platform.Clock;

namespace SafeCities.Web.Pages.Transparency;

/// <summary>
/// Public (no login): the annual surveillance report of a calendar year in the city's time zone (ADR 0045), the figures of
/// <c>GET /api/v1/transparency/reports/{year}</c>. Counts only. The browser's print makes the PDF.
/// </summary>
[AllowAnonymous]
internal sealed class ReportsModel(ISender sender, CityClock city, TimeProvider clock) : PageModel
{
    public AnnualReportDto Report { get; private set; } = null!;

    /// <summary>The years that can be picked, newest first (this year is the report so far).</summary>
    public IReadOnlyList<int> Years { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? year, CancellationToken ct)
    {
        var thisYear = city.ToLocal(clock.GetUtcNow()).Year;
        Years = [.. Enumerable.Range(AnnualReportYears.First, Math.Max(0, thisYear - AnnualReportYears.First + 1)).Reverse()];
        if (year is null)
            return RedirectToPage(new { year = (thisYear - 1).ToString(CultureInfo.InvariantCulture) });
        if (year.Length != 4 || !int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || !Years.Contains(y))
            return NotFound();
        Report = await sender.Send(new GetAnnualReportQuery(y, city.Id), ct);
        return Page();
    }

    public static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Money(decimal amount) => amount.ToString("N2", CultureInfo.InvariantCulture);

    public static string Counts(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "–" : string.Join(", ", counts.Select(c => $"{c.Key} {c.Value.ToString(CultureInfo.InvariantCulture)}"));

    public static string Percent(double? p) => p is { } v ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "–";
}
