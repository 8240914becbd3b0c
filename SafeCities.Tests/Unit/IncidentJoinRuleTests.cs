using SafeCities.Modules.Alerts;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Tests.Unit;

public sealed class IncidentJoinRuleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);
    private static readonly AlertsOptions Options = new() { JoinDistanceMeters = 300, JoinWindowMinutes = 10 };

    private static Incident At(double lat, double lon, DateTimeOffset opened, DateTimeOffset? last = null) => new()
    {
        Id = Guid.NewGuid(), Kind = IncidentKinds.Gunshot, Title = "t", Latitude = lat, Longitude = lon, Location = GeoMath.Point(lat, lon),
        OpenedAt = opened, LastActivityAt = last ?? opened, Source = "test",
    };

    [Theory]
    [InlineData(100, 2, true)]     // close and soon after: same event
    [InlineData(299, 9.9, true)]   // just inside both limits
    [InlineData(301, 1, false)]    // just too far
    [InlineData(50, 10.1, false)]  // just too late
    public void Joins_only_within_distance_and_time(double meters, double minutesLater, bool joins)
    {
        var incident = At(38.85, -76.99, T0);
        var (lat, lon) = GeoMath.Offset(38.85, -76.99, meters, 45);

        var match = IncidentJoinRule.BestMatch([incident], IncidentKinds.Gunshot, T0.AddMinutes(minutesLater), lat, lon, Options);

        Assert.Equal(joins, match is not null);
    }

    [Fact]
    public void The_window_runs_from_the_latest_shot_not_the_first()
    {
        var incident = At(38.85, -76.99, T0, last: T0.AddMinutes(8));
        Assert.NotNull(IncidentJoinRule.BestMatch([incident], IncidentKinds.Gunshot, T0.AddMinutes(17), 38.85, -76.99, Options));
    }

    [Fact]
    public void Picks_the_nearest_of_several_candidates_and_never_a_closed_one()
    {
        var near = At(38.85, -76.99, T0);
        var (lat2, lon2) = GeoMath.Offset(38.85, -76.99, 200, 90);
        var farther = At(lat2, lon2, T0);
        var closed = At(38.85, -76.99, T0);
        closed.Close("someone", T0.AddMinutes(1), "no-evidence", null);
        var (lat, lon) = GeoMath.Offset(38.85, -76.99, 40, 90);

        Assert.Same(near, IncidentJoinRule.BestMatch([farther, closed, near], IncidentKinds.Gunshot, T0.AddMinutes(1), lat, lon, Options));
        Assert.Null(IncidentJoinRule.BestMatch([closed], IncidentKinds.Gunshot, T0.AddMinutes(1), lat, lon, Options));
    }

    [Fact]
    public void Other_kinds_of_incident_are_not_joined()
    {
        var other = new Incident
        {
            Id = Guid.NewGuid(), Kind = "hotlist-hit", Title = "t", Latitude = 38.85, Longitude = -76.99, Location = GeoMath.Point(38.85, -76.99),
            OpenedAt = T0, LastActivityAt = T0, Source = "x",
        };
        Assert.Null(IncidentJoinRule.BestMatch([other], IncidentKinds.Gunshot, T0, 38.85, -76.99, Options));
    }

    [Fact]
    public void Lifecycle_goes_open_acknowledged_closed_and_refuses_going_back()
    {
        var incident = At(38.85, -76.99, T0);
        incident.Acknowledge("cmdr", T0.AddMinutes(1));
        Assert.Equal(IncidentStatus.Acknowledged, incident.Status);
        Assert.Equal("cmdr", incident.AcknowledgedBy);
        Assert.Throws<SafeCities.Modules.Shared.Messaging.DomainRuleException>(() => incident.Acknowledge("cmdr", T0.AddMinutes(2)));
        incident.Close("lt", T0.AddMinutes(3), "gunfire-found", "Casings at the corner.");
        Assert.Equal((IncidentStatus.Closed, "lt", T0.AddMinutes(3), "gunfire-found"), (incident.Status, incident.ClosedBy, incident.ClosedAt!.Value, incident.Outcome));
        Assert.Throws<SafeCities.Modules.Shared.Messaging.DomainRuleException>(() => incident.Close("lt", T0.AddMinutes(4), "other", null));
    }

    [Fact]
    public void An_outcome_must_be_one_of_the_kinds_list_and_a_reopened_incident_has_none()
    {
        var incident = At(38.85, -76.99, T0);
        // "stopped" is a hotlist hit's outcome, not a gunshot's: refused as bad input (400), the incident stays open.
        var refused = Assert.Throws<SafeCities.Modules.Shared.Messaging.DomainRuleException>(() => incident.Close("lt", T0.AddMinutes(1), "stopped", null));
        Assert.Equal(400, refused.StatusCode);
        Assert.Equal(IncidentStatus.Open, incident.Status);
        Assert.Throws<SafeCities.Modules.Shared.Messaging.DomainRuleException>(incident.Reopen);
        incident.Close("lt", T0.AddMinutes(2), "other-sound", "Fireworks.");
        incident.Reopen();
        Assert.Equal((IncidentStatus.Open, null, null), (incident.Status, incident.Outcome, incident.ClosedAt));
        Assert.Equal(["gunfire-found", "no-evidence", "other-sound", "not-attended", "other"], IncidentOutcomes.For(IncidentKinds.Gunshot).Select(o => o.Code));
        Assert.Equal(["stopped", "rejected", "not-located", "other"], IncidentOutcomes.For(IncidentKinds.HotlistHit).Select(o => o.Code));
        Assert.Equal(["confirmed", "sensor-fault", "duplicate", "other"], IncidentOutcomes.For("acoustic").Select(o => o.Code));
    }
}
