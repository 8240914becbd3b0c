using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Intelligence.Contracts;

namespace SafeCities.Modules.Intelligence.Analysis.Underreporting;

internal sealed class GetGunfireReportingQueryValidator : AbstractValidator<GetGunfireReportingQuery>
{
    public GetGunfireReportingQueryValidator()
    {
        RuleFor(q => q.To).GreaterThan(q => q.From).WithMessage("'To' must be after 'From'.");
        RuleFor(q => q).Must(q => q.To - q.From <= TimeSpan.FromDays(3 * 366)).OverridePropertyName("To").WithMessage("The period may span at most 3 years.");
        RuleFor(q => q.MaxMeters).InclusiveBetween(10, 5_000);
        RuleFor(q => q.MinutesBefore).InclusiveBetween(0, 240);
        RuleFor(q => q.MinutesAfter).InclusiveBetween(1, 1_440);
        RuleFor(q => q.CallTypes).Must(t => t is null || t.Count <= 20).WithMessage("At most 20 call types.");
        RuleForEach(q => q.CallTypes).NotEmpty().MaximumLength(80);
    }
}

/// <summary>The share of sensor-detected gunfire that nobody called in, per district and hour of day (city time).</summary>
internal sealed class GetGunfireReportingQueryHandler(AnalysisEventSource source, AnalysisOptions options)
    : IQueryHandler<GetGunfireReportingQuery, GunfireReportingDto>
{
    public async ValueTask<GunfireReportingDto> Handle(GetGunfireReportingQuery q, CancellationToken ct)
    {
        var window = new ReportingWindow(q.MaxMeters, q.MinutesBefore, q.MinutesAfter);
        var callTypes = q.CallTypes is { Count: > 0 } t ? t.Select(c => c.Trim().ToLowerInvariant()).Distinct().ToList()
            : options.GunfireCallTypes.Select(c => c.Trim().ToLowerInvariant()).ToList();
        var detections = await source.LoadAsync(IncidentKinds.Gunshot, q.From, q.To, ct);
        // calls a window's length either side of the period, so detections at its edges can be answered
        var calls = await source.LoadAsync("call:*", q.From - TimeSpan.FromMinutes(q.MinutesAfter), q.To + TimeSpan.FromMinutes(q.MinutesBefore) + TimeSpan.FromMinutes(q.MinutesAfter), ct, callTypes);
        var outcomes = GunfireReporting.Match(detections, calls, window);
        var without = outcomes.Count(o => !o.Called);
        return new GunfireReportingDto(outcomes.Count, without, outcomes.Count == 0 ? 0 : without / (double)outcomes.Count, callTypes, options.Zone.Id,
            GunfireReporting.ByDistrictAndHour(outcomes, options.Zone)
                .Select(c => new GunfireReportingCellDto(c.District, c.Hour, c.Detected, c.WithoutCall, c.UnreportedShare)).ToList(),
            outcomes.Select(o => new GunfireDetectionDto(o.Detection.Id, o.Detection.Latitude, o.Detection.Longitude, o.Detection.At, o.Detection.District,
                o.Called)).ToList());
    }
}
