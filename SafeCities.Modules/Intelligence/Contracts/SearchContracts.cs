using SafeCities.Modules.Shared.Purposes;

namespace SafeCities.Modules.Intelligence.Contracts;

// ---------- search ----------

/// <param name="DateOfBirth">yyyy, yyyy-MM or yyyy-MM-dd (a full date also matches its day/month transposition).</param>
/// <remarks>States its case number, offence and optionally a purpose in words (ADR 0047): without a case number, or with a sensitive term, it waits
/// for a commander's approval and then runs once with <paramref name="ApprovalId"/>.</remarks>
public sealed record SearchIntelligenceQuery(Viewer Viewer, string? Purpose, string? Name = null, string? DateOfBirth = null, string? Identifier = null,
    string? Plate = null, string? Address = null, string? Text = null, Guid? AgencyId = null, string? Kind = null, DateOnly? From = null, DateOnly? To = null,
    int Limit = 25, string? CaseNumber = null, string? Offence = null, Guid? ApprovalId = null) : IQuery<SearchResultDto>, IApprovalGated
{
    string IStatedPurpose.Actor => Viewer.Actor;
    string IStatedPurpose.LookupKind => "Intelligence/search";
}

public sealed record PersonHitDto(Guid PersonId, string Name, DateOnly? DateOfBirth, double Score, IReadOnlyList<string> MatchedOn,
    IReadOnlyList<string> Agencies, IReadOnlyList<string> Flags);

public sealed record VehicleHitDto(Guid VehicleId, string Plate, string Region, string? Description, Guid? OwnerPersonId, string? OwnerName);

public sealed record RecordDto(Guid Id, string Kind, string Agency, string SourceId, Guid? PersonId, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt,
    string? Status, string Summary, string Access, IReadOnlyDictionary<string, string>? Details, string? Narrative, bool Sealed, double? Latitude, double? Longitude);

/// <summary>
/// How many more persons, vehicles and records match the search but are withheld from this viewer by the access rules (their agency has no
/// sharing agreement, or their role no rule for that kind); counts only, never the records. Sealed records and narrative matches are not counted.
/// </summary>
public sealed record WithheldDto(int Persons, int Vehicles, int Records)
{
    public int Total => Persons + Vehicles + Records;
}

/// <param name="Withheld">What matched but the access rules withhold (counts only).</param>
public sealed record SearchResultDto(IReadOnlyList<PersonHitDto> Persons, IReadOnlyList<VehicleHitDto> Vehicles, IReadOnlyList<RecordDto> Records,
    WithheldDto Withheld);
