using NetTopologySuite.Geometries;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Lighting.Domain;

internal sealed class Streetlight
{
    public Guid Id { get; init; }
    public required string Name { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public double? ElevationMeters { get; set; }
    public required Point Location { get; set; }
    public string? Circuit { get; set; }
    public string? ControllerId { get; set; }
    public int NormalLevel { get; set; }
    public int CurrentLevel { get; set; }
    public string State { get; set; } = "normal";
    public DateTimeOffset RegisteredAt { get; init; }

    public DeviceDto ToDto() => new(Id, DeviceKinds.Streetlight, Name, Latitude, Longitude, ElevationMeters, RegisteredAt,
        new Dictionary<string, object?>
        {
            ["circuit"] = Circuit, ["controllerId"] = ControllerId, ["normalLevel"] = NormalLevel, ["currentLevel"] = CurrentLevel, ["state"] = State,
        });
}
