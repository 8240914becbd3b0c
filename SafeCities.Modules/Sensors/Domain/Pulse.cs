namespace SafeCities.Modules.Sensors.Domain;

/// <summary>One impulse heard by one acoustic sensor. <see cref="DetectionId"/> is set once it is part of a located shot.</summary>
internal sealed class Pulse
{
    public Guid Id { get; init; }
    public Guid DeviceId { get; init; }
    public required string PulseId { get; init; }
    public DateTimeOffset ArrivalTime { get; init; }
    public double? SnrDb { get; init; }
    public double? PowerDbSpl { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public Guid? DetectionId { get; set; }
}
