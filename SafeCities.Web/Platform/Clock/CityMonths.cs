using SafeCities.Modules.Shared.Time;

namespace SafeCities.Web.Platform.Clock;

/// <summary>The last <c>n</c> calendar months of the city (this one included), as [from, to) instants for the monthly figures.</summary>
public static class CityMonths
{
    public static (DateTimeOffset From, DateTimeOffset To) Last(CityClock clock, DateTimeOffset now, int months) => MonthlyPeriod.Last(clock.Id, now, months);
}
