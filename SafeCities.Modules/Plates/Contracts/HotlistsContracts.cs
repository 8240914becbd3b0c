using SafeCities.Modules.Shared.Purposes;

namespace SafeCities.Modules.Plates.Contracts;

// ---- hotlists --------------------------------------------------------------------------------------------------------

/// <param name="Kind">agency, ncic-stolen, ncic-wanted, amber, missing-person.</param>
/// <param name="AlertLevel">high, medium or low.</param>
/// <param name="Visibility">all-staff (every board sees the reason) or restricted (only administrators, commanders and analysts do).</param>
public sealed record CreateHotlistCommand(string? Name, string? Kind, string? AlertLevel, string? Reason, string? Owner, string? Visibility,
    DateTimeOffset? ExpiresAt, string By) : ICommand<HotlistDto>;

public sealed record HotlistDto(Guid Id, string Name, string Kind, string AlertLevel, string Reason, string Owner, string Visibility,
    DateTimeOffset? ExpiresAt, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? ImportedAt, int ActiveEntries);

public sealed record ListHotlistsQuery : IQuery<IReadOnlyList<HotlistDto>>;

/// <summary>
/// Lists one plate (wildcards <c>*</c>, <c>?</c> allowed) and checks it at once against the last days of reads. A plate already active on the
/// list (same region) is not listed twice: the same details again answer the existing entry (<see cref="HotlistEntryDto.AlreadyListed"/>),
/// other details are refused (409) until that entry is withdrawn; an expired entry gives way to the new one.
/// </summary>
public sealed record AddHotlistEntryCommand(Guid HotlistId, string? Plate, string? Region, string? Reason, string? Reference, string? Description,
    DateTimeOffset? ExpiresAt, string By) : ICommand<HotlistEntryDto>;

/// <param name="AlreadyListed">Answering <see cref="AddHotlistEntryCommand"/>: the plate was already listed with the same details (a repeated
/// request), the entry unchanged; the look-back at past reads ran again (the first request may have died before it), and
/// <paramref name="RetroactiveHits"/> counts only what it found that was not recorded before.</param>
public sealed record HotlistEntryDto(Guid Id, Guid HotlistId, string Plate, string? Region, string? Reason, string? Reference, string? Description,
    DateTimeOffset? ExpiresAt, DateTimeOffset AddedAt, DateTimeOffset? WithdrawnAt, int RetroactiveHits, bool AlreadyListed = false);

public sealed record WithdrawHotlistEntryCommand(Guid EntryId, string By) : ICommand<HotlistEntryDto>;

/// <summary>
/// A list's entries for API clients, by plate, <see cref="PageSize"/> a page: <paramref name="Page"/> 1 is the first; a full page may
/// have a next (the endpoint says so in a <c>Link</c> header).
/// </summary>
public sealed record ListHotlistEntriesQuery(Guid HotlistId, int Page = 1) : IQuery<IReadOnlyList<HotlistEntryDto>>
{
    public const int PageSize = 5000;
}

/// <summary>One page of a list's entries (active first, then by plate), optionally only plates containing <paramref name="Search"/>.</summary>
public sealed record PageHotlistEntriesQuery(Guid HotlistId, string? Search = null, int Page = 1, int PageSize = 50) : IQuery<HotlistEntriesPageDto?>;

/// <param name="Total">Entries matching the search (all pages).</param>
public sealed record HotlistEntriesPageDto(HotlistDto Hotlist, IReadOnlyList<HotlistEntryDto> Entries, int Total, int Page, int PageSize);

/// <summary>
/// Replaces a list's entries with a CSV extract, atomically (all of the good lines, or nothing if none is good). The header names the
/// columns: NCIC style (<c>LIC</c>, <c>LIS</c>, <c>MKE</c>, <c>NIC</c>, <c>VMA</c>, <c>VCO</c>, <c>EXP</c>) or plain
/// (<c>plate</c>, <c>region</c>/<c>state</c>, <c>reason</c>, <c>reference</c>/<c>case_number</c>, <c>make</c>, <c>colour</c>, <c>expires_at</c>).
/// </summary>
public sealed record ImportHotlistCommand(Guid HotlistId, string Csv, string By) : ICommand<HotlistImportDto>;

public sealed record RejectedLineDto(int Line, string Reason);

/// <summary>
/// Starts a chunked import of an extract into a list (what the Hotlists page does, so that its progress bar follows the server's
/// validation): stage the file in chunks with <see cref="StageHotlistImportCommand"/>, then <see cref="CommitHotlistImportCommand"/>
/// replaces the list atomically. Uncommitted imports are discarded after a day.
/// </summary>
public sealed record StartHotlistImportCommand(Guid HotlistId, string By) : ICommand<HotlistImportStartedDto>;

public sealed record HotlistImportStartedDto(Guid ImportId, Guid HotlistId, int MaxLinesPerChunk);

/// <summary>
/// One chunk of the file: its header (repeated with every chunk) and lines, <paramref name="FirstLine"/> being the file line number of
/// <c>Lines[0]</c>. Each line is validated now and reported if rejected; a plate repeated anywhere earlier in the file is rejected.
/// Sending the same chunk again (a retry) returns its first outcome and stages nothing twice.
/// </summary>
public sealed record StageHotlistImportCommand(Guid ImportId, string? Header, int FirstLine, IReadOnlyList<string>? Lines, string By)
    : ICommand<HotlistImportChunkDto>
{
    public const int MaxLines = 1000;
}

public sealed record HotlistImportChunkDto(int Received, int Accepted, int Blank, IReadOnlyList<RejectedLineDto> Rejected);

/// <summary>Replaces the list's entries with every accepted line staged so far, in one transaction (nothing, if none was accepted).</summary>
public sealed record CommitHotlistImportCommand(Guid ImportId, string By) : ICommand<HotlistImportDto>;

public sealed record HotlistImportDto(Guid HotlistId, int Lines, int Imported, int Replaced, IReadOnlyList<RejectedLineDto> Rejected, int RetroactiveHits,
    DateTimeOffset? ImportedAt);

// ---- hits ------------------------------------------------------------------------------------------------------------

/// <summary>
/// A read matched a hotlist entry (live at ingestion, or <paramref name="Retroactive"/>ly when the plate was listed). Written to Plates'
/// outbox in the transaction that stores the hit (live: the one that stores the read), once per entry and read, and delivered after
/// the commit — again after a crash, so handlers must be idempotent (the hit id). <paramref name="Reason"/> is null for restricted lists.
/// </summary>
public sealed record HotlistHitEvent(Guid HitId, Guid HotlistId, string HotlistName, string AlertLevel, string Visibility, string Owner,
    string? Reason, string EntryPlate, string ReadPlate, string Region, string MatchKind, Guid ReaderId, string ReaderName, double Latitude,
    double Longitude, DateTimeOffset CapturedAt, bool Retroactive, string? ReadMake = null, string? ReadColor = null, string? EntryDescription = null,
    DateTimeOffset? EntryAddedAt = null, string? ImageUrl = null) : Shared.Outbox.IOutboxMessage
{
    /// <summary>Anything but an exact match (wildcard, misread-tolerant, missing/extra character) must be checked against the picture.</summary>
    public bool VerifyVisually => MatchKind != "exact";
}

public sealed record HotlistHitDto(Guid Id, Guid HotlistId, string HotlistName, string AlertLevel, string? Reason, string EntryPlate, string ReadPlate,
    string Region, string MatchKind, Guid ReaderId, string ReaderName, double Latitude, double Longitude, DateTimeOffset CapturedAt,
    DateTimeOffset DetectedAt, bool Retroactive, DateTimeOffset? ReleasedAt, string? ImageUrl = null, string? ReadMake = null, string? ReadColor = null,
    string? EntryDescription = null, DateTimeOffset? EntryAddedAt = null, string Decision = HitDecisions.Unconfirmed, string? DecisionReason = null,
    string? DecisionNotes = null, DateTimeOffset? DecidedAt = null, string? DecidedBy = null)
{
    /// <summary>Anything but an exact match (wildcard, misread-tolerant, missing/extra character) must be checked against the picture.</summary>
    public bool VerifyVisually => MatchKind != "exact";
}

/// <param name="SeesRestricted">False for officers: hits of restricted lists come without their reason.</param>
/// <param name="Retroactive">True: only past-read hits (found by the look-back when a plate was listed; not incidents); false: only live hits; null: all.</param>
public sealed record ListHotlistHitsQuery(bool SeesRestricted, string? Plate = null, int Limit = 200, bool? Retroactive = null) : IQuery<IReadOnlyList<HotlistHitDto>>;

/// <summary>Releases a hit from evidence hold: the retention purge may then delete it.</summary>
public sealed record ReleaseHotlistHitCommand(Guid HitId, string By) : ICommand<HotlistHitDto>;

// ---- search ----------------------------------------------------------------------------------------------------------

/// <summary>
/// An analyst's search of the reads. It states its case number, offence and optionally a purpose in words (ADR 0047; without a case number, or
/// with a sensitive term, it waits for a commander's approval and then runs once with <paramref name="ApprovalId"/>); the search, its statement
/// and its terms are audited before anything is returned. <paramref name="Plate"/> may hold <c>*</c>/<c>?</c>; <paramref name="Tolerant"/> folds look-alikes.
/// Area: a radius around (<paramref name="Latitude"/>, <paramref name="Longitude"/>) or a polygon "lat lon, lat lon, …".
/// <paramref name="ViewerAgencyId"/> is the asker's agency (their claim), null for the city's own staff and for work done for nobody: another
/// agency's viewer is held to the sharing rules and what it is shown is logged (ADR 0051).
/// </summary>
public sealed record SearchPlateReadsCommand(string Actor, Guid? ViewerAgencyId, string? Purpose, string? Plate, bool Tolerant, string? Region, DateTimeOffset? From,
    DateTimeOffset? To, double? Latitude, double? Longitude, int? RadiusMeters, string? Polygon, string? Make, string? Color, int Limit = 500,
    string? CaseNumber = null, string? Offence = null, Guid? ApprovalId = null) : ICommand<PlateSearchResultDto>, IApprovalGated
{
    string IStatedPurpose.LookupKind => "Plates/search";
}

/// <param name="ImageUrl">The app URL of the reader's picture of the read; null when the reader uploaded none.</param>
public sealed record PlateSightingDto(Guid ReadId, string Plate, string Region, DateTimeOffset CapturedAt, double Confidence, string? Make,
    string? Model, string? Color, Guid ReaderId, string ReaderName, double Latitude, double Longitude, string? ImageUrl = null);

/// <summary>One vehicle (plate and region) with its sightings, oldest first (its timeline).</summary>
public sealed record PlateVehicleDto(string Plate, string Region, int Sightings, DateTimeOffset FirstSeen, DateTimeOffset LastSeen,
    IReadOnlyList<PlateSightingDto> Timeline);

public sealed record PlateSearchResultDto(IReadOnlyList<PlateVehicleDto> Vehicles, int Sightings, bool Truncated);

// ---- co-location -----------------------------------------------------------------------------------------------------

/// <summary>A place and time (an incident, or any place and time an analyst names).</summary>
public sealed record ColocationPlaceDto(double? Latitude = null, double? Longitude = null, DateTimeOffset? OccurredAt = null);

/// <summary>
/// Vehicles seen within <paramref name="RadiusMeters"/> and ±<paramref name="WindowMinutes"/> of at least <paramref name="MinIncidents"/>
/// of the places, ranked by how unusual that is. States its case number, offence and purpose like a search (ADR 0047); audited with its terms.
/// <paramref name="ViewerAgencyId"/>: as for a search.
/// </summary>
public sealed record ColocationCommand(string Actor, Guid? ViewerAgencyId, string? Purpose, IReadOnlyList<ColocationPlaceDto>? Incidents, int RadiusMeters, int WindowMinutes,
    int MinIncidents, int Limit = 50, string? CaseNumber = null, string? Offence = null, Guid? ApprovalId = null) : ICommand<ColocationResultDto>, IApprovalGated
{
    string IStatedPurpose.LookupKind => "Plates/colocation";
}

/// <param name="Score">Sum over the matched places of ln((B+1)/(d+1)), where d is the number of the B days before that place on which the
/// plate passed the readers near it at about the same time of day (±30 min): a daily commuter scores about 0 there, a vehicle seen only
/// near the incidents scores ln(B+1) per place.</param>
/// <param name="MatchedIncidents">Indexes (0-based) of the places the vehicle was seen near.</param>
public sealed record ColocationMatchDto(string Plate, string Region, double Score, IReadOnlyList<int> MatchedIncidents, IReadOnlyList<int> BaselineDays,
    IReadOnlyList<PlateSightingDto> Sightings);

public sealed record ColocationResultDto(IReadOnlyList<ColocationMatchDto> Vehicles, int BaselineDays);

// ---- transparency ----------------------------------------------------------------------------------------------------

/// <summary>What the public transparency page shows: retention per data class and monthly counts (never plates).</summary>
public sealed record GetPlatesTransparencyQuery : IQuery<PlatesTransparencyDto>;

public sealed record RetentionSettingDto(string DataClass, string Rule);

/// <param name="Reads">Reads captured that month (still stored plus deleted by retention).</param>
public sealed record TransparencyMonthDto(string Month, long Reads, long ReadsDeleted, long Hits, long Searches, long ColocationQueries);

/// <param name="DeletionsRecorded">False when the read-retention job's record (plates.retention_runs) does not exist yet: reads count what is stored.</param>
public sealed record PlatesTransparencyDto(IReadOnlyList<RetentionSettingDto> Retention, IReadOnlyList<TransparencyMonthDto> Months, bool DeletionsRecorded,
    DateTimeOffset GeneratedAt);
