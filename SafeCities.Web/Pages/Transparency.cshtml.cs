using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Caching.Memory;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Caching;
using SafeCities.Web.Platform.Clock;

namespace SafeCities.Web.Pages;

/// <summary>Public (no login): how long licence-plate data is kept, and how much was read, hit and searched each month. Never a plate.</summary>
[AllowAnonymous]
internal sealed class TransparencyModel(ISender sender, CityClock city, TimeProvider clock, IMemoryCache cache) : PageModel
{
    public const int Months = 12;
    /// <summary>The hit decisions and alert precision of the last <see cref="Months"/>, computed at most every 10 minutes per node.</summary>
    internal const string OutcomesCacheKey = "transparency:outcomes";
    public PlatesTransparencyDto Report { get; private set; } = null!;
    /// <summary>Hit decisions per month, reader, list and match kind (ADR 0043).</summary>
    public HitStatisticsDto Hits { get; private set; } = null!;
    /// <summary>Alert precision per month and source (ADR 0044).</summary>
    public AlertPrecisionDto Precision { get; private set; } = null!;
    /// <summary>The agencies that actually read data, per month, from the log of their reads (ADR 0041).</summary>
    public AgencyReadsDto AgencyReads { get; private set; } = null!;

    /// <summary>The UTC day asked for (<c>?day=yyyy-MM-dd</c>); yesterday, the latest anchored day, when none or a wrong one is asked.</summary>
    [BindProperty(SupportsGet = true, Name = "day")]
    public string? DayText { get; set; }

    /// <summary>One UTC day's list of agencies that read data, with the digest its anchor signed (ADR 0055).</summary>
    public AgencyReadsDayFileDto Day { get; private set; } = null!;

    /// <summary>Why the day asked for is not shown (not a day, or out of range).</summary>
    public string? DayError { get; private set; }

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Report = await sender.Send(new GetPlatesTransparencyQuery(), ct);
        // The page is public: the monthly figures are computed at most every 10 minutes per node, one computation at a time.
        var (from, to) = CityMonths.Last(city, clock.GetUtcNow(), Months);
        (Hits, Precision) = await cache.GetAsync(OutcomesCacheKey, async c =>
            (await sender.Send(new GetHitStatisticsQuery(from, to, city.Id), c), await sender.Send(new GetAlertPrecisionQuery(from, to, city.Id), c)), ct);
        AgencyReads = await cache.GetAsync(AgencyReadsFigures.CacheKey(Months), c => sender.Send(new GetAgencyReadsQuery(from, to, city.Id), c).AsTask(), ct);

        var yesterday = Today.AddDays(-1);
        var day = yesterday;
        if (!string.IsNullOrWhiteSpace(DayText) && !DateOnly.TryParseExact(DayText.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
            (DayError, day) = ("Give the day as yyyy-MM-dd.", yesterday);
        try
        {
            Day = await sender.Send(new GetAgencyReadsDayFileQuery(day), ct);
        }
        catch (ValidationException e)
        {
            DayError = string.Join(" ", e.Errors.Select(x => x.ErrorMessage));
            Day = await sender.Send(new GetAgencyReadsDayFileQuery(yesterday), ct);
        }
    }
}
