using SafeCities.Modules.Shared.Reporting;

namespace SafeCities.Modules.Plates.Contracts;

/// <summary>Plate reads and hotlist hits captured in [<paramref name="From"/>, <paramref name="To"/>), with their retention.</summary>
public sealed record GetPlatesCollectedDataQuery(DateTimeOffset From, DateTimeOffset To) : IQuery<IReadOnlyList<CollectedDataDto>>;
