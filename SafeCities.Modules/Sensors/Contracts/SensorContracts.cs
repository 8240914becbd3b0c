using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Shared.Outbox;

namespace SafeCities.Modules.Sensors.Contracts;

/// <summary>Registers an acoustic sensor, an external gunshot-detection feed or an environmental sensor.</summary>
public sealed record RegisterSensorDeviceCommand(DeviceRegistration Device) : ICommand<DeviceDto>;

public sealed record ListSensorDevicesQuery(string? Kind = null) : IQuery<IReadOnlyList<DeviceDto>>;

/// <summary>A located gunshot alert from a device (ShotSpotter / Flock Raven shape). Idempotent per device and external id.</summary>
public sealed record ReportGunshotCommand(Guid DeviceId, string ExternalId, DateTimeOffset OccurredAt, double Latitude, double Longitude,
    int Rounds, string? Source) : ICommand<GunshotReportResult>;

/// <summary>What Sensors knows once the detection is stored and its reactions ran: the detection. The incident is Alerts' to tell.</summary>
/// <param name="Created">False when the same device had already reported this external id.</param>
public sealed record GunshotReportResult(Guid DetectionId, bool Created);

/// <summary>
/// A gunshot has been located (by our own sensors or an external system). Written to Sensors' outbox with the detection and
/// delivered before the device gets its answer; its id is the detection id.
/// </summary>
public sealed record GunshotDetectedEvent(Guid DetectionId, Guid DeviceId, DateTimeOffset OccurredAt, double Latitude, double Longitude,
    double? UncertaintyMeters, int Rounds, string Source) : IOutboxMessage;

/// <summary>One acoustic sensor's impulse detections (<c>POST /api/v1/sensors/pulses</c>). Idempotent per sensor and pulse id.</summary>
public sealed record ReportPulsesCommand(Guid DeviceId, IReadOnlyList<PulseReport> Pulses) : ICommand<PulseReportResult>;

/// <param name="ArrivalTime">UTC, sub-millisecond precision allowed (microseconds are kept).</param>
public sealed record PulseReport(string PulseId, DateTimeOffset ArrivalTime, double? SnrDb = null, double? PowerDbSpl = null);

/// <summary>What a batch of pulses produced: new shots located by multilateration.</summary>
public sealed record PulseReportResult(int Accepted, int Duplicates, IReadOnlyList<LocatedShotDto> Located);

public sealed record LocatedShotDto(Guid DetectionId, DateTimeOffset OccurredAt, double Latitude, double Longitude,
    double UncertaintyMeters, int SensorsUsed);

/// <summary>
/// An environmental sensor's value stayed beyond a threshold rule for its sustained duration. Alerts opens an incident of the
/// <paramref name="Kind"/> (air-quality, seismic, wind, noise, water) whose id is <paramref name="CrossingId"/>.
/// </summary>
/// <paramref name="Label"/> and <paramref name="Unit"/> are for people ("PM2.5", "µg/m³").
public sealed record EnvironmentalThresholdCrossedEvent(Guid CrossingId, Guid RuleId, string RuleName, string Kind, string Quantity, string Label,
    double Value, string Unit, double Threshold, bool Above, string Severity, Guid DeviceId, string DeviceName, double Latitude, double Longitude,
    DateTimeOffset At) : IOutboxMessage;

/// <summary>The value came back past the rule's clear level: "cleared" on the incident's timeline.</summary>
public sealed record EnvironmentalThresholdClearedEvent(Guid CrossingId, Guid RuleId, string RuleName, string DeviceName, double Value, string Unit,
    double ClearLevel, DateTimeOffset At) : IOutboxMessage;

/// <summary>The latest value of each quantity of the environmental sensors within <paramref name="RadiusMeters"/> of a point, nearest first.</summary>
public sealed record ListNearbySensorValuesQuery(double Latitude, double Longitude, double RadiusMeters) : IQuery<IReadOnlyList<SensorValueDto>>;

/// <param name="Unit">UCUM code.</param>
/// <param name="Text">The value as people read it ("PM2.5 60.2 µg/m³").</param>
public sealed record SensorValueDto(Guid DeviceId, string DeviceName, double DistanceMeters, string Quantity, double Value, string Unit, DateTimeOffset At,
    string Text);
