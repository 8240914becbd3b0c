using SafeCities.Modules.Shared.Statistics;
using SafeCities.Modules.Shared.Text;
using System.Globalization;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Time;

namespace SafeCities.Modules.Intelligence.Analysis.Hotspots;

internal sealed class GetHotspotOverviewQueryValidator : AbstractValidator<GetHotspotOverviewQuery>
{
    public GetHotspotOverviewQueryValidator()
    {
        RuleFor(q => q.CrimeType).MaximumLength(HotspotCrimeTypes.MaxLength);
        RuleFor(q => q.Model).Must(m => m is null || HotspotModelNames.All.Contains(m))
            .WithMessage($"'Model' must be one of: {string.Join(", ", HotspotModelNames.All)}.");
        RuleFor(q => q.Weeks).InclusiveBetween(1, 104);
    }
}

/// <summary>
/// The page's data: the latest forecast of the chosen crime type and model (its flagged cells and why they are there), every model's
/// weekly scores over the last weeks, and a plain verdict on whether the point process and the mixture beat KDE and the naive map.
/// </summary>
internal sealed class GetHotspotOverviewQueryHandler(IntelligenceDbContext db, ISender sender, TimeProvider clock, IOptions<HotspotOptions> options,
    CityClock cityClock)
    : IQueryHandler<GetHotspotOverviewQuery, HotspotOverviewDto>
{
    /// <summary>What a new installation's page says until the first forecast: when the job will make one, in city time.</summary>
    internal static string NoForecastYet(DateTimeOffset now, HotspotOptions o, CityClock cityClock)
    {
        var next = RunHotspotForecastsCommandHandler.NextShiftStart(now, o);
        var from = next.AddMinutes(-o.LeadMinutes);
        var when = from <= now ? "at its next run" : $"from {cityClock.Format(from, CityTimeFormat.Minutes)}";
        return $"No forecast has been made yet. The next shift starts at {cityClock.Format(next, CityTimeFormat.Minutes)}; the job forecasts it {when} "
            + "if there are located events by then (gunshot detections, calls for service with a place).";
    }

    public async ValueTask<HotspotOverviewDto> Handle(GetHotspotOverviewQuery q, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var since = now.AddDays(-7 * q.Weeks);
        var types = await db.HotspotForecasts.AsNoTracking().Where(f => f.WindowEnd >= since).Select(f => f.CrimeType).Distinct().ToListAsync(cancellationToken);
        types = [.. types.OrderBy(t => t == HotspotCrimeTypes.Gunshots ? 0 : t == HotspotCrimeTypes.All ? 1 : 2).ThenBy(t => t, StringComparer.Ordinal)];
        var type = q.CrimeType is { Length: > 0 } wanted && types.Contains(wanted) ? wanted : types.FirstOrDefault();
        var model = q.Model ?? HotspotModelNames.Sepp;
        if (type is null)
            return new HotspotOverviewDto([], null, model, null, [], [], NoForecastYet(now, options.Value, cityClock));

        var latest = await db.HotspotForecasts.AsNoTracking().Include(f => f.Cells)
            .Where(f => f.CrimeType == type && f.Model == model).OrderByDescending(f => f.WindowStart).FirstOrDefaultAsync(cancellationToken);
        var scored = await db.HotspotForecasts.AsNoTracking()
            .Where(f => f.CrimeType == type && f.ScoredAt != null && f.WindowStart >= since && f.Pai != null)
            .Select(f => new { f.Model, f.WindowStart, Pai = f.Pai!.Value, HitRate = f.HitRate!.Value, Pei = f.Pei!.Value })
            .ToListAsync(cancellationToken);
        var weeks = scored.GroupBy(f => (Week: WeekStart(f.WindowStart, cityClock.Zone), f.Model)).OrderBy(g => g.Key.Week).ThenBy(g => g.Key.Model, StringComparer.Ordinal)
            .Select(g => new HotspotWeekDto(g.Key.Week, g.Key.Model, g.Count(), g.Average(f => f.Pai), g.Average(f => f.HitRate))).ToList();
        var summary = HotspotModelNames.All.Select(m =>
        {
            var rows = scored.Where(f => f.Model == m).ToList();
            return rows.Count == 0
                ? new HotspotModelSummaryDto(m, 0, null, null, null, null)
                : new HotspotModelSummaryDto(m, rows.Count, rows.Average(f => f.Pai), Median.Of(rows.Select(f => f.Pai)), rows.Average(f => f.HitRate), rows.Average(f => f.Pei));
        }).ToList();
        var names = latest is { Districts.Count: > 0 }
            ? await sender.Send(new GetDistrictNamesQuery(), cancellationToken)
            : new Dictionary<string, string>();
        return new HotspotOverviewDto(types, type, model, latest is null ? null : ToDto(latest, names), weeks, summary, Verdict(summary));
    }

    private static HotspotForecastDto ToDto(HotspotForecast f, IReadOnlyDictionary<string, string> districtNames)
    {
        var map = f.Map();
        var cells = f.Cells.OrderBy(c => c.Rank).Select(c =>
        {
            var (s, w, n, e) = map.Bounds(c.Cell);
            return new HotspotCellDto(c.Rank, s, w, n, e, c.Score, c.BackgroundShare, c.SensorEvents, c.ReportedEvents);
        }).ToList();
        return new HotspotForecastDto(f.Id, f.CrimeType, f.Model, f.IssuedAt, f.WindowStart, f.WindowEnd, f.CellMeters, f.Share, f.ActiveCells, f.TrainingEvents,
            cells, cells.Sum(c => c.SensorEvents), cells.Sum(c => c.ReportedEvents), Districts(f, districtNames));
    }

    private static List<HotspotDistrictDto> Districts(HotspotForecast f, IReadOnlyDictionary<string, string> names)
    {
        var flagged = Math.Max(1, f.Districts.Sum(d => d.FlaggedCells));
        var events = Math.Max(1, f.Districts.Sum(d => d.Events));
        return [.. f.Districts.OrderBy(d => d.Code is null).ThenBy(d => d.Code, StringComparer.Ordinal).Select(d => new HotspotDistrictDto(d.Code,
            names.NameOf(d.Code), d.FlaggedCells, (double)d.FlaggedCells / flagged,
            d.Events, (double)d.Events / events))];
    }

    /// <summary>
    /// Sentences anyone can read: does the point process, and does the mixture, beat KDE and the naive map on mean PAI (and by how much)?
    /// Each model is judged on its own figures; one that does not beat both baselines says so.
    /// </summary>
    internal static string Verdict(IReadOnlyList<HotspotModelSummaryDto> summary)
    {
        static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
        var kde = summary.FirstOrDefault(s => s.Model == HotspotModelNames.Kde);
        var naive = summary.FirstOrDefault(s => s.Model == HotspotModelNames.Naive28);
        var sentences = new List<string>();
        foreach (var (model, label) in (ReadOnlySpan<(string, string)>)[(HotspotModelNames.Sepp, "The point process"), (HotspotModelNames.Mixture, "The mixture")])
        {
            var m = summary.FirstOrDefault(s => s.Model == model);
            if (m?.MeanPai is not { } p || kde?.MeanPai is not { } k || naive?.MeanPai is not { } n)
                continue;
            var windows = $"over {Plural.Count(m.Windows, "scored shift")}";
            var figures = $"mean PAI {F(p)} against KDE {F(k)} and naive28 {F(n)}";
            sentences.Add((p > k, p > n) switch
            {
                (true, true) => $"{label} beats both baselines {windows}: {figures} ({F(p / Math.Max(k, n))}× the better one).",
                (false, false) => $"{label} does NOT beat the baselines {windows}: {figures}.",
                (true, false) => $"{label} beats KDE but NOT the naive map {windows}: {figures}.",
                (false, true) => $"{label} beats the naive map but NOT KDE {windows}: {figures}.",
            });
        }
        return sentences.Count == 0
            ? "Not enough scored shifts yet to compare the point process and the mixture with KDE and the naive map."
            : string.Join(" ", sentences);
    }

    /// <summary>The Monday of the city's week the instant falls in (weeks are the city's, as every time on the pages).</summary>
    private static DateOnly WeekStart(DateTimeOffset at, TimeZoneInfo zone)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }
}
