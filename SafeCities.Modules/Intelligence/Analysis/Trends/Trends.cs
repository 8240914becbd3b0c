using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Modules.Intelligence.Analysis.Trends;

internal sealed class GetTrendsQueryValidator : AbstractValidator<GetTrendsQuery>
{
    public GetTrendsQueryValidator()
    {
        RuleFor(q => q.Weeks).InclusiveBetween(1, 104);
        RuleFor(q => q.Type).MaximumLength(100);
        RuleFor(q => q.District).MaximumLength(100);
    }
}

internal sealed class GetTrendsQueryHandler(AnalysisEventSource source, AnalysisOptions options, TimeProvider clock)
    : IQueryHandler<GetTrendsQuery, TrendsDto>
{
    public async ValueTask<TrendsDto> Handle(GetTrendsQuery q, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // enough history for the weekly series, the year-over-year week and the spikes' 28-day baseline
        var from = now - TimeSpan.FromDays(7 * Math.Max(q.Weeks, 53));
        var all = await source.LoadAsync(q.Type, from, now, ct);
        var events = all.Where(e => q.District is null || e.District == q.District).ToList();
        var window = events.Where(e => e.At > now - TimeSpan.FromDays(7 * q.Weeks)).ToList();
        var heat = TrendMath.HourByWeekday(window, options.Zone);
        var weekly = TrendMath.Weekly(window, now, q.Weeks);
        return new TrendsDto(now, options.Zone.Id, window.Count,
            Enumerable.Range(0, 7).Select(d => (IReadOnlyList<int>)Enumerable.Range(0, 24).Select(h => heat[d, h]).ToList()).ToList(),
            TrendMath.Changes(events, now).Select(c => new TrendChangeDto(c.District, c.Type, c.ThisWeek, c.LastWeek, c.YearAgo, c.WeekOverWeek,
                c.YearOverYear)).ToList(),
            Enumerable.Range(0, q.Weeks).Select(i => now - TimeSpan.FromDays(7 * (q.Weeks - 1 - i))).ToList(),
            weekly.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<int>)kv.Value),
            TrendMath.Spikes(events, now, options.SpikeAlpha, options.SpikeMinimumCount)
                .Select(s => new TrendSpikeDto(s.District, s.Type, s.Count, s.BaselinePerDay, s.Model, s.PValue)).ToList(),
            all.Select(e => e.District).Distinct().Order(StringComparer.Ordinal).ToList());
    }
}

/// <summary>
/// The hourly spike check: spikes now that were not spikes an hour ago are raised (so a spike is told once as it starts, without a table
/// of sent notices; one that fades and returns is told again).
/// </summary>
internal sealed class DetectCrimeSpikesCommandHandler(AnalysisEventSource source, AnalysisOptions options, TimeProvider clock, IPublisher publisher,
    ISender sender)
    : ICommandHandler<DetectCrimeSpikesCommand, int>
{
    public async ValueTask<int> Handle(DetectCrimeSpikesCommand command, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var events = await source.LoadAsync(null, now - TimeSpan.FromDays(TrendMath.BaselineDays + 2), now, ct);
        var before = TrendMath.Spikes(events, now - TimeSpan.FromHours(1), options.SpikeAlpha, options.SpikeMinimumCount)
            .Select(s => (s.District, s.Type)).ToHashSet();
        var raised = 0;
        var names = await sender.Send(new GetDistrictNamesQuery(), ct);
        foreach (var s in TrendMath.Spikes(events, now, options.SpikeAlpha, options.SpikeMinimumCount).Where(s => !before.Contains((s.District, s.Type))))
        {
            await publisher.Publish(new CrimeSpikeDetectedEvent(Guid.CreateVersion7(), s.District, names.NameOf(s.District), s.Type, AnalysisSources.Label(s.Type), s.Count, s.BaselinePerDay, s.Model, s.PValue, now), ct);
            raised++;
        }
        return raised;
    }
}

/// <summary>Recurring job <c>intelligence:detect-spikes</c> (hourly).</summary>
internal sealed class DetectCrimeSpikesJob(ISender sender)
{
    public async Task RunAsync(CancellationToken ct) => await sender.Send(new DetectCrimeSpikesCommand(), ct);
}
