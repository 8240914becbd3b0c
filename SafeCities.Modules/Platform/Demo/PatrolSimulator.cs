using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Demo;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Modules.Platform.Demo;

/// <summary>
/// Demo city only (<c>Demo:Simulator:Enabled</c>): three patrol cars drive around Congress Heights sharing their positions the way an
/// officer's phone does, so the board shows units and hotlist hits reach the nearest — one of them is the demo officer's account.
/// </summary>
internal sealed class PatrolSimulator(IServiceScopeFactory scopes, TimeProvider clock, ILogger<PatrolSimulator> logger)
    : DemoSimulator(scopes, clock, logger)
{
    private const double BeatRadiusMeters = 1800, StepMeters = 160;
    private readonly Random random = new(11);
    private readonly (string Unit, double Latitude, double Longitude, double Heading)[] patrols =
    [
        ("officer@safecities.test", DemoCitySeeder.CenterLat, DemoCitySeeder.CenterLon, 0),
        ("unit-7d21", DemoCitySeeder.CenterLat + 0.006, DemoCitySeeder.CenterLon - 0.008, 120),
        ("unit-7d34", DemoCitySeeder.CenterLat - 0.007, DemoCitySeeder.CenterLon + 0.006, 250),
    ];

    protected override TimeSpan FirstDelay => TimeSpan.FromSeconds(5);

    protected override async Task TickAsync(ISender sender, CancellationToken ct)
    {
        for (var i = 0; i < patrols.Length; i++)
        {
            patrols[i] = Drive(patrols[i]);
            await sender.Send(new ReportOfficerPositionCommand(patrols[i].Unit, patrols[i].Latitude, patrols[i].Longitude, 8), ct);
        }
    }

    /// <summary>A step along a wandering heading; a car that strays off its beat turns back towards the centre.</summary>
    private (string, double, double, double) Drive((string Unit, double Latitude, double Longitude, double Heading) p)
    {
        var heading = (p.Heading + random.Next(-40, 41) + 360) % 360;
        if (GeoMath.DistanceMeters(p.Latitude, p.Longitude, DemoCitySeeder.CenterLat, DemoCitySeeder.CenterLon) > BeatRadiusMeters)
            heading = GeoMath.BearingDegrees(p.Latitude, p.Longitude, DemoCitySeeder.CenterLat, DemoCitySeeder.CenterLon);
        var (lat, lon) = GeoMath.Offset(p.Latitude, p.Longitude, StepMeters, heading);
        return (p.Unit, lat, lon, heading);
    }
}
