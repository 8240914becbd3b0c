using SafeCities.Modules.Sensors.Contracts;

namespace SafeCities.Modules.Sensors.Domain;

/// <summary>A located gunshot as reported by one device; its <c>GunshotDetectedEvent</c> is in Sensors' outbox under the same id.</summary>
internal sealed class GunshotDetection
{
    public Guid Id { get; init; }
    public Guid DeviceId { get; init; }
    public required string ExternalId { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public double Latitude { get; init; }
    public double Longitude { get; init; }
    public double? UncertaintyMeters { get; init; }
    public int Rounds { get; init; }
    public required string Source { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }

    public GunshotDetectedEvent Detected() => new(Id, DeviceId, OccurredAt, Latitude, Longitude, UncertaintyMeters, Rounds, Source);
}
