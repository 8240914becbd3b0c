using NetTopologySuite.Geometries;
using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Lighting.Domain;

internal sealed class Streetlight : IPlacedDevice
{
    public const int DefaultNormalLevel = 40;

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
    /// <summary><see cref="LightStates"/>: faulty (an open work order) wins over raised (an active incident raise) over normal.</summary>
    public string State { get; set; } = LightStates.Normal;
    public DateTimeOffset RegisteredAt { get; init; }

    public void RefreshState(bool hasOpenFault, bool isRaised) =>
        State = hasOpenFault ? LightStates.Faulty : isRaised ? LightStates.Raised : LightStates.Normal;

    public DeviceDto ToDto() => new(Id, LightingDeviceKinds.Streetlight, Name, Latitude, Longitude, ElevationMeters, RegisteredAt,
        new Dictionary<string, object?>
        {
            ["circuit"] = Circuit, ["controllerId"] = ControllerId, ["normalLevel"] = NormalLevel, ["currentLevel"] = CurrentLevel, ["state"] = State,
        });
}

internal static class LightStates
{
    public const string Normal = "normal";
    public const string Raised = "raised";
    public const string Faulty = "faulty";
}
