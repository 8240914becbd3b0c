using NetTopologySuite.Geometries;

namespace SafeCities.Modules.Alerts.Domain;

/// <summary>
/// The last position an on-duty officer's phone shared (only the last one is kept; none is kept once they stop sharing or it goes stale).
/// Used to push hotlist hits to the officers near the reader.
/// </summary>
internal sealed class OfficerPosition
{
    /// <summary>The officer's user name, lower case (the hub's <c>user:</c> group).</summary>
    public required string UserName { get; init; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public required Point Location { get; set; }
    public double? AccuracyMeters { get; set; }
    public DateTimeOffset ReportedAt { get; set; }
}
