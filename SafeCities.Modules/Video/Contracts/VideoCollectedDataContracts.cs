using SafeCities.Modules.Shared.Reporting;

namespace SafeCities.Modules.Video.Contracts;

/// <summary>Evidence clips whose recording started in [<paramref name="From"/>, <paramref name="To"/>), with their retention.</summary>
public sealed record GetVideoCollectedDataQuery(DateTimeOffset From, DateTimeOffset To) : IQuery<IReadOnlyList<CollectedDataDto>>;
