using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Tests.Unit.Alerts;

/// <summary>An incident's title after its kind is corrected: what it is now first, what it was first reported as kept once, through later
/// corrections and through the detected shots that join it afterwards.</summary>
public sealed class IncidentTitleTests
{
    private static Incident Report(string kind, string title) => new()
    {
        Id = Guid.NewGuid(), Kind = kind, Title = title, Latitude = 38.9, Longitude = -77.0, Location = GeoMath.Point(38.9, -77.0),
        Source = "tests", OpenedAt = DateTimeOffset.UtcNow, LastActivityAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public void A_citizens_report_corrected_to_gunfire_keeps_what_it_was_first_reported_as_when_shots_join_it()
    {
        var incident = Report(IncidentKinds.CitizenReport, "Citizen report: Gunfire or shots heard");
        incident.Correct(IncidentKinds.Gunshot, null, null);
        Assert.Equal("Gunshot — first reported as: Citizen report: Gunfire or shots heard", incident.Title);
        incident.AddShots(3, DateTimeOffset.UtcNow);
        incident.Retitle($"Gunshots detected ({incident.Rounds} rounds)");   // as the gunshot handler does when shots join
        Assert.Equal("Gunshots detected (3 rounds) — first reported as: Citizen report: Gunfire or shots heard", incident.Title);
        incident.Correct(IncidentKinds.Noise, null, null);
        Assert.Equal("Noise — first reported as: Citizen report: Gunfire or shots heard", incident.Title);
    }

    [Fact]
    public void An_uncorrected_incident_is_titled_by_its_words_alone_and_a_long_title_is_cut_to_the_column()
    {
        var incident = Report(IncidentKinds.Gunshot, "Gunshots detected");
        incident.Retitle("Gunshot detected");
        Assert.Equal("Gunshot detected", incident.Title);
        var wordy = Report(IncidentKinds.CitizenReport, new string('x', 200));
        wordy.Correct(IncidentKinds.Gunshot, null, null);
        Assert.Equal(200, wordy.Title.Length);
        Assert.EndsWith("…", wordy.Title);
        Assert.StartsWith("Gunshot — first reported as: xxx", wordy.Title);
    }
}
