namespace SafeCities.Modules.Intelligence.Contracts;

// ---------- watchlists ----------

public static class WatchlistCriteria
{
    public const string ViolentOffenceHistory = "violent-offence-history";
    public const string Recidivist = "recidivist";
    public static readonly IReadOnlyList<string> All = [ViolentOffenceHistory, Recidivist];
}

/// <summary>Exactly one of person, plate or criteria.</summary>
public sealed record AddWatchlistEntryCommand(string Name, Guid? PersonId, string? Plate, string? Criteria, string By) : ICommand<WatchlistEntryDto>;

public sealed record WatchlistEntryDto(Guid Id, string Name, Guid? PersonId, string? Plate, string? Criteria, string CreatedBy, DateTimeOffset CreatedAt,
    DateTimeOffset? RemovedAt = null, string? RemovedBy = null);

/// <summary>The entries that watch (removed ones are left out).</summary>
public sealed record ListWatchlistQuery : IQuery<IReadOnlyList<WatchlistEntryDto>>;

/// <summary>Stops watching: the entry is kept with who removed it and when (audited) and no longer raises release notices.
/// 404 for an unknown entry, 409 for one already removed.</summary>
public sealed record RemoveWatchlistEntryCommand(Guid EntryId, string By) : ICommand<WatchlistEntryDto>;
