using SafeCities.Modules.Intelligence.Contracts;

namespace SafeCities.Modules.Intelligence.Analysis.NearRepeat;

internal sealed class RunNearRepeatQueryValidator : AbstractValidator<RunNearRepeatQuery>
{
    public RunNearRepeatQueryValidator()
    {
        RuleFor(q => q.Type).NotEmpty().MaximumLength(100);
        RuleFor(q => q.District).MaximumLength(100);
        RuleFor(q => q.To).GreaterThan(q => q.From).WithMessage("'To' must be after 'From'.");
        RuleFor(q => q).Must(q => q.To - q.From <= TimeSpan.FromDays(3 * 366)).OverridePropertyName("To").WithMessage("The period may span at most 3 years.");
        RuleFor(q => q.SpatialBandwidthMeters).InclusiveBetween(1, 5_000);
        RuleFor(q => q.SpatialBands).InclusiveBetween(1, KnoxSettings.MaxBands);
        RuleFor(q => q.TemporalBandwidthDays).InclusiveBetween(1, 365);
        RuleFor(q => q.TemporalBands).InclusiveBetween(1, KnoxSettings.MaxBands);
        RuleFor(q => q.Permutations).InclusiveBetween(9, KnoxSettings.MaxPermutations);
        RuleFor(q => q).Must(q => q.South is null == q.West is null && q.West is null == q.North is null && q.North is null == q.East is null)
            .OverridePropertyName("South").WithMessage("Give all four of south, west, north and east, or none.");
        RuleFor(q => q.South).InclusiveBetween(-90, 90).LessThan(q => q.North).When(q => q.South is not null && q.North is not null);
        RuleFor(q => q.West).InclusiveBetween(-180, 180).LessThan(q => q.East).When(q => q.West is not null && q.East is not null);
        RuleFor(q => q.North).InclusiveBetween(-90, 90);
        RuleFor(q => q.East).InclusiveBetween(-180, 180);
    }
}

/// <summary>Runs the Knox test on the platform's events (ADR 0022). Days are the city's calendar days; coordinates are projected around the
/// events' mean position.</summary>
internal sealed class RunNearRepeatQueryHandler(AnalysisEventSource source, AnalysisOptions options) : IQueryHandler<RunNearRepeatQuery, NearRepeatResultDto>
{
    public async ValueTask<NearRepeatResultDto> Handle(RunNearRepeatQuery q, CancellationToken ct)
    {
        var events = (await source.LoadAsync(q.Type, q.From, q.To, ct))
            .Where(e => string.IsNullOrEmpty(q.District) || e.District == q.District)
            .Where(e => q.South is null || (e.Latitude >= q.South && e.Latitude <= q.North && e.Longitude >= q.West && e.Longitude <= q.East))
            .ToList();
        if (events.Count > KnoxSettings.MaxEvents)
            throw new ValidationException([new FluentValidation.Results.ValidationFailure("From",
                $"{events.Count} events of '{q.Type}' match; the test runs on at most {KnoxSettings.MaxEvents}. Choose a shorter period or a smaller area.")]);
        // fewer than two events give an all-zero table (no pairs), not an error
        var (lat0, lon0) = events.Count == 0 ? (0.0, 0.0) : (events.Average(e => e.Latitude), events.Average(e => e.Longitude));
        var knoxEvents = events.Select(e =>
        {
            var (x, y) = AnalysisSources.Project(e.Latitude, e.Longitude, lat0, lon0);
            return new KnoxEvent(x, y, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(e.At, options.Zone).DateTime).DayNumber);
        }).ToList();
        var settings = new KnoxSettings(q.SpatialBandwidthMeters, q.SpatialBands, q.TemporalBandwidthDays, q.TemporalBands, q.Permutations, q.Seed);
        var result = await Task.Run(() => KnoxTest.Run(knoxEvents, settings, ct: ct), ct);

        var cells = Enumerable.Range(0, result.Rows).Select(r => (IReadOnlyList<NearRepeatCellDto>)Enumerable.Range(0, result.Columns)
            .Select(c => new NearRepeatCellDto(result.Observed[r, c], result.MeanExpected[r, c], result.Ratio(r, c), result.PValue[r, c])).ToList()).ToList();
        return new NearRepeatResultDto(q.Type, result.Events, result.Pairs, q.Permutations, result.BestP, KnoxLabels.Distances(settings),
            KnoxLabels.Days(settings), cells, KnoxLabels.NearRepeatSentence(result), KnoxLabels.RepeatSentence(result));
    }
}
