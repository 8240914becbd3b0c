namespace SafeCities.Modules.Shared.Time;

/// <summary>A query for figures per month of a time zone over a period (hit statistics, alert precision, agencies' reads).</summary>
public interface IMonthlyPeriodQuery
{
    DateTimeOffset From { get; }
    DateTimeOffset To { get; }
    /// <summary>The IANA time zone whose months the figures are counted in.</summary>
    string TimeZone { get; }
}

/// <summary>The one rule for such a period: <c>From</c> before <c>To</c>, at most 800 days, and an IANA time zone.</summary>
internal abstract class MonthlyPeriodValidator<T> : AbstractValidator<T> where T : IMonthlyPeriodQuery
{
    protected MonthlyPeriodValidator()
    {
        RuleFor(q => q.To).GreaterThan(q => q.From).WithMessage("'To' must be after 'From'.");
        RuleFor(q => q).Must(q => q.To - q.From <= TimeSpan.FromDays(800)).WithName("Period").WithMessage("The period may be at most 800 days.");
        RuleFor(q => q.TimeZone).Must(z => TimeZoneInfo.TryFindSystemTimeZoneById(z, out var tz) && tz.HasIanaId)
            .WithMessage("'TimeZone' must be an IANA time zone id.");
    }
}
