using Microsoft.Extensions.Options;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Features;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Features;
using SafeCities.Modules.Shared.Purposes;

namespace SafeCities.Tests.Unit;

/// <summary>The two cross-module queries behind the person page refuse what they cannot answer sensibly.</summary>
public sealed class PersonJoinValidatorTests
{
    private readonly ListVehicleSightingsQueryValidator sightings = new(new(Options.Create(new PurposeOptions())));
    private readonly ListIncidentsNearQueryValidator incidents = new();

    private static ListVehicleSightingsQuery Sightings(string? purpose = "case 12-345", int vehicles = 1, string plate = "ABC123", int limit = 200,
        string? caseNumber = Stated.CaseNumber, Guid? approval = null) =>
        new("analyst@safecities.test", null, purpose, Enumerable.Range(0, vehicles).Select(_ => new VehiclePlateDto(plate, "DC")).ToList(), "person x", limit,
            caseNumber, Stated.Offence, approval);

    [Fact]
    public void A_vehicle_look_up_needs_a_statement_and_a_bounded_list_of_vehicles()
    {
        Assert.True(sightings.Validate(Sightings()).IsValid);
        Assert.True(sightings.Validate(Sightings(purpose: null)).IsValid);   // the case number says why; words are optional
        Assert.Contains(sightings.Validate(Sightings(purpose: null, caseNumber: null, approval: Guid.NewGuid())).Errors, e => e.PropertyName == "Purpose");
        Assert.Contains(sightings.Validate(Sightings(purpose: "why")).Errors, e => e.PropertyName == "Purpose");
        // Without a case number it serves an approved view and must carry that approval.
        Assert.Contains(sightings.Validate(Sightings(caseNumber: null)).Errors, e => e.PropertyName == "ApprovalId");
        Assert.True(sightings.Validate(Sightings(caseNumber: null, approval: Guid.NewGuid())).IsValid);
        Assert.Contains(sightings.Validate(Sightings(vehicles: 0)).Errors, e => e.PropertyName == "Vehicles");
        Assert.Contains(sightings.Validate(Sightings(vehicles: ListVehicleSightingsQuery.MaxVehicles + 1)).Errors, e => e.PropertyName == "Vehicles");
        Assert.Contains(sightings.Validate(Sightings(plate: "")).Errors, e => e.PropertyName == "Vehicles[0].Plate");
        Assert.Contains(sightings.Validate(Sightings(limit: 0)).Errors, e => e.PropertyName == "Limit");
    }

    [Fact]
    public void Incidents_near_takes_real_coordinates_and_bounded_distances_windows_and_lists()
    {
        var at = DateTimeOffset.UtcNow;
        Assert.True(incidents.Validate(new ListIncidentsNearQuery([new IncidentPlaceDto(38.9, -77, at)], [Guid.NewGuid()])).IsValid);
        Assert.True(incidents.Validate(new ListIncidentsNearQuery()).IsValid);   // nothing to look for: nothing found
        Assert.Contains(incidents.Validate(new ListIncidentsNearQuery([new IncidentPlaceDto(91, -77, at)])).Errors, e => e.PropertyName == "Places[0].Latitude");
        Assert.Contains(incidents.Validate(new ListIncidentsNearQuery([new IncidentPlaceDto(38, 181, at)])).Errors, e => e.PropertyName == "Places[0].Longitude");
        Assert.Contains(incidents.Validate(new ListIncidentsNearQuery(RadiusMeters: 0)).Errors, e => e.PropertyName == "RadiusMeters");
        Assert.Contains(incidents.Validate(new ListIncidentsNearQuery(WindowMinutes: -1)).Errors, e => e.PropertyName == "WindowMinutes");
        var many = Enumerable.Range(0, ListIncidentsNearQueryValidator.MaxItems + 1).Select(_ => new IncidentPlaceDto(0, 0, at)).ToList();
        Assert.Contains(incidents.Validate(new ListIncidentsNearQuery(many)).Errors, e => e.PropertyName == "Places");
    }
}
