namespace SafeCities.Web.Platform.Clock;

/// <summary>The last <c>n</c> calendar months of the city (this one included), as [from, to) instants for the monthly figures.</summary>
public static class CityMonths
{
    public static (DateTimeOffset From, DateTimeOffset To) Last(CityClock clock, DateTimeOffset now, int months)
    {
        var local = clock.ToLocal(now);
        var first = new DateOnly(local.Year, local.Month, 1).AddMonths(1 - Math.Clamp(months, 1, 24));
        return (clock.StartOfDay(first).ToUniversalTime(), now.ToUniversalTime().AddSeconds(1));
    }
}
