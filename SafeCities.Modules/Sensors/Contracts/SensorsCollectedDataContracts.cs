using SafeCities.Modules.Shared.Reporting;

namespace SafeCities.Modules.Sensors.Contracts;

/// <summary>Gunshot detections (acoustic) and environmental readings that occurred in [<paramref name="From"/>, <paramref name="To"/>), with their retention.</summary>
public sealed record GetSensorsCollectedDataQuery(DateTimeOffset From, DateTimeOffset To) : IQuery<IReadOnlyList<CollectedDataDto>>;
