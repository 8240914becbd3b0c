namespace SafeCities.Modules.Shared.Time;

/// <summary>A query for figures per month of a time zone over a period (hit statistics, alert precision, agencies' reads).</summary>
public interface IMonthlyPeriodQuery
{
    DateTimeOffset From { get; }
    DateTimeOffset To { get; }
    /// <summary>The IANA time zone whose months the figures are counted in.</summary>
    string TimeZone { get; }
}

/// <summary>The last <c>months</c> calendar months of a time zone (this one included), as [from, to) instants for the monthly figures.</summary>
public static class MonthlyPeriod
{
    public static (DateTimeOffset From, DateTimeOffset To) Last(string timeZone, DateTimeOffset now, int months)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var first = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1 - Math.Clamp(months, 1, 24));
        return (new DateTimeOffset(first, zone.GetUtcOffset(first)).ToUniversalTime(), now.ToUniversalTime().AddSeconds(1));
    }
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
