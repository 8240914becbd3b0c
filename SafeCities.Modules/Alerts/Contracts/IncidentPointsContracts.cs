namespace SafeCities.Modules.Alerts.Contracts;

/// <summary>
/// Where and when incidents of a kind were opened in [<paramref name="From"/>, <paramref name="To"/>), oldest first: the events of an analysis
/// (Intelligence's hotspot forecasts), nothing more. At most <see cref="MaxPoints"/> points; a longer list is cut at the newest.
/// </summary>
public sealed record ListIncidentPointsQuery(string Kind, DateTimeOffset From, DateTimeOffset To) : IQuery<IReadOnlyList<IncidentPointDto>>
{
    public const int MaxPoints = 500_000;
}

public sealed record IncidentPointDto(DateTimeOffset OpenedAt, double Latitude, double Longitude);
