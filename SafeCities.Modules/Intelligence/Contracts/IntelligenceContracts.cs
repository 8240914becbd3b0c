using System.Security.Claims;
using Mediator;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Intelligence.Contracts;

public static class AgencyKinds
{
    public const string Police = "police";
    public const string Jail = "jail";
    public const string Prison = "prison";
    public const string Supervision = "parole-probation";
    public const string Court = "court";
    public static readonly IReadOnlyList<string> All = [Police, Jail, Prison, Supervision, Court];
}

/// <summary>What a record is about. Access rules are written per role (and optionally per agency) and per kind.</summary>
public static class RecordKinds
{
    public const string Person = "person";
    public const string Vehicle = "vehicle";
    public const string Booking = "booking";
    public const string Supervision = "supervision";
    public const string Warrant = "warrant";
    public const string CourtCase = "court-case";
    public const string CallForService = "call-for-service";
    /// <summary>Live plate sightings (owned by Plates); the rule decides whether a viewer may see them on a person page.</summary>
    public const string PlateSighting = "plate-sighting";
    /// <summary>Incidents near a person (owned by Alerts): tied by Plates to their vehicles' reads, or near their sightings or located
    /// records. The rule decides whether a viewer sees them on a person page (summary: no position).</summary>
    public const string Incident = "incident";

    public static readonly IReadOnlyList<string> All = [Person, Vehicle, Booking, Supervision, Warrant, CourtCase, CallForService, PlateSighting, Incident];
    public static readonly IReadOnlyList<string> Ingestible = [Person, Vehicle, Booking, Supervision, Warrant, CourtCase, CallForService];

    /// <summary>Which kinds each kind of agency may push.</summary>
    public static IReadOnlyList<string> AllowedFor(string agencyKind) => agencyKind switch
    {
        AgencyKinds.Police => [Person, Vehicle, Booking, Warrant, CallForService],
        AgencyKinds.Jail or AgencyKinds.Prison => [Person, Vehicle, Booking],
        AgencyKinds.Supervision => [Person, Vehicle, Supervision, Warrant],
        AgencyKinds.Court => [Person, CourtCase, Warrant],
        _ => [],
    };
}

public static class WarrantStatus
{
    public const string Active = "active";
    public const string Cleared = "cleared";
    public const string Served = "served";
    public const string Recalled = "recalled";
    public static readonly IReadOnlyList<string> All = [Active, Cleared, Served, Recalled];
}

/// <summary><c>full</c>: every field; <c>summary</c>: that the record exists, its kind, status, dates and agency (a flag), no details or narrative.</summary>
public static class AccessLevels
{
    public const string Full = "full";
    public const string Summary = "summary";
    public static readonly IReadOnlyList<string> All = [Full, Summary];
}

/// <summary><c>all</c>: every agency's records; <c>shared</c>: the viewer's own agency and the agencies sharing with it;
/// <c>supervisees</c>: only persons under the viewer's active supervision.</summary>
public static class AccessScopes
{
    public const string All = "all";
    public const string Shared = "shared";
    public const string Supervisees = "supervisees";
    public static readonly IReadOnlyList<string> Every = [All, Shared, Supervisees];
}

public static class WatchlistCriteria
{
    public const string ViolentOffenceHistory = "violent-offence-history";
    public const string Recidivist = "recidivist";
    public static readonly IReadOnlyList<string> All = [ViolentOffenceHistory, Recidivist];
}

/// <summary>Who is asking: the access rules and the audit log are keyed on this.</summary>
public sealed record Viewer(string Actor, IReadOnlyList<string> Roles, Guid? AgencyId)
{
    public static Viewer Of(ClaimsPrincipal user) =>
        new(user.Actor(), Shared.Security.Roles.People.Where(user.IsInRole).ToList(), user.AgencyId());
}

public sealed record AgencyDto(Guid Id, string Name, string Kind, DateTimeOffset RegisteredAt, int? ReleaseHotlistDays);

/// <summary>A partner agency (police, jail, prison, parole/probation, court) that feeds records into the framework.</summary>
/// <param name="ReleaseHotlistDays">When set, a released reoffender's vehicles go onto a plate hotlist for this many days.</param>
public sealed record RegisterAgencyCommand(string Name, string Kind, int? ReleaseHotlistDays = null) : ICommand<AgencyDto>;

public sealed record ListAgenciesQuery : IQuery<IReadOnlyList<AgencyDto>>;

public sealed record GetAgencyQuery(Guid AgencyId) : IQuery<AgencyDto?>;

/// <summary>Agency <paramref name="FromAgencyId"/> lets analysts of agency <paramref name="ToAgencyId"/> see its records (rules with scope <c>shared</c>).</summary>
public sealed record AddSharingAgreementCommand(Guid FromAgencyId, Guid ToAgencyId, string By) : ICommand<Guid>;

// ---------- ingestion ----------

public sealed record PersonInput(string FirstName, string LastName, string? MiddleName = null, IReadOnlyList<string>? Aliases = null,
    DateOnly? DateOfBirth = null, IReadOnlyDictionary<string, string>? Identifiers = null, string? Address = null, string? District = null);

public sealed record VehicleInput(string Plate, string Region, string? Make = null, string? Model = null, string? Colour = null);

/// <summary>
/// One record pushed by an agency. <paramref name="SourceId"/> is the agency's own id: re-sending it updates the record (a booking
/// gets its release date, a warrant its new status), never duplicates it. Records about a person name the agency's person record with
/// <paramref name="PersonSourceId"/> (sent earlier or earlier in the same batch).
/// </summary>
public sealed record RecordInput(string Kind, string SourceId, string? PersonSourceId = null, PersonInput? Person = null, VehicleInput? Vehicle = null,
    DateTimeOffset? StartedAt = null, DateTimeOffset? EndedAt = null, string? Status = null, string? Facility = null, IReadOnlyList<string>? Charges = null,
    string? SupervisingOfficer = null, string? Conditions = null, string? CaseNumber = null, string? Disposition = null, bool Sealed = false,
    string? CallType = null, double? Latitude = null, double? Longitude = null, string? Address = null, string? Narrative = null, bool ViolentOffence = false);

/// <summary>All or nothing: one invalid record rejects the whole batch (400 naming every failing line and field) and writes nothing.</summary>
public sealed record IngestRecordsCommand(Guid AgencyId, string Actor, IReadOnlyList<RecordInput> Records) : ICommand<IngestResultDto>;

public sealed record IngestedRecordDto(int Line, string Kind, string SourceId, Guid Id, Guid? PersonId, bool Created, string? Link);

public sealed record IngestResultDto(int Received, int Created, int Updated, IReadOnlyList<IngestedRecordDto> Records);

/// <summary>
/// One chunk of a CSV back-load for <paramref name="AgencyId"/> (the header repeated with every chunk; <paramref name="FirstLine"/> is the
/// file line number of <c>Lines[0]</c>). Per-line acceptance: valid lines are written, each rejected line is reported with its reasons.
/// </summary>
public sealed record ImportRecordsCsvCommand(Guid AgencyId, string Header, int FirstLine, IReadOnlyList<string> Lines, string Actor) : ICommand<CsvImportResultDto>
{
    public const int MaxLines = 500;

    /// <summary>The columns a header may name (case-insensitive, any order; kind and sourceId required).</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "kind", "sourceId", "personSourceId", "firstName", "lastName", "middleName", "aliases", "dateOfBirth", "identifiers", "district",
        "plate", "region", "make", "model", "colour", "startedAt", "endedAt", "status", "facility", "charges", "supervisingOfficer", "conditions",
        "caseNumber", "disposition", "sealed", "callType", "latitude", "longitude", "address", "narrative", "violentOffence",
    ];
}

public sealed record CsvRejectedLineDto(int Line, string Reason);

public sealed record CsvImportResultDto(int Received, int Accepted, int Created, int Updated, int Blank, IReadOnlyList<CsvRejectedLineDto> Rejected);

// ---------- entity resolution ----------

public sealed record PersonLinkDto(Guid IdentityId, Guid PersonId, string Agency, string SourceId, string Name, DateOnly? DateOfBirth,
    double Score, string Status, IReadOnlyList<string> Evidence);

/// <summary>An analyst confirms that an agency's person record belongs to the person it was linked to.</summary>
public sealed record ConfirmPersonLinkCommand(Guid IdentityId, string By) : ICommand<PersonLinkDto>;

/// <summary>An analyst splits an agency's person record off into a person of its own.</summary>
public sealed record SplitPersonLinkCommand(Guid IdentityId, string By) : ICommand<PersonLinkDto>;

// ---------- search ----------

/// <param name="DateOfBirth">yyyy, yyyy-MM or yyyy-MM-dd (a full date also matches its day/month transposition).</param>
public sealed record SearchIntelligenceQuery(Viewer Viewer, string Purpose, string? Name = null, string? DateOfBirth = null, string? Identifier = null,
    string? Plate = null, string? Address = null, string? Text = null, Guid? AgencyId = null, string? Kind = null, DateOnly? From = null, DateOnly? To = null,
    int Limit = 25) : IQuery<SearchResultDto>;

public sealed record PersonHitDto(Guid PersonId, string Name, DateOnly? DateOfBirth, double Score, IReadOnlyList<string> MatchedOn,
    IReadOnlyList<string> Agencies, IReadOnlyList<string> Flags);

public sealed record VehicleHitDto(Guid VehicleId, string Plate, string Region, string? Description, Guid? OwnerPersonId, string? OwnerName);

public sealed record RecordDto(Guid Id, string Kind, string Agency, string SourceId, Guid? PersonId, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt,
    string? Status, string Summary, string Access, IReadOnlyDictionary<string, string>? Details, string? Narrative, bool Sealed, double? Latitude, double? Longitude);

public sealed record SearchResultDto(IReadOnlyList<PersonHitDto> Persons, IReadOnlyList<VehicleHitDto> Vehicles, IReadOnlyList<RecordDto> Records);

public sealed record GetPersonQuery(Viewer Viewer, Guid PersonId, string Purpose) : IQuery<PersonDetailDto?>;

public sealed record GraphNodeDto(string Id, string Kind, string Label);

public sealed record GraphEdgeDto(string From, string To, string Label);

/// <summary>A read of one of the person's vehicles (from Plates), with the incidents Plates tied the read to.</summary>
public sealed record PersonSightingDto(Guid ReadId, Guid VehicleId, string Plate, string Region, DateTimeOffset CapturedAt, double Confidence,
    string? Description, string ReaderName, double Latitude, double Longitude, IReadOnlyList<Guid> IncidentIds);

/// <summary>
/// An incident near the person (from Alerts). <paramref name="Access"/> <c>summary</c> leaves out its position; <paramref name="Reasons"/>
/// say why it is on the page ("ABC123 read 120 m away, tied by Plates", "call for service 80 m away").
/// </summary>
public sealed record PersonIncidentDto(Guid Id, string Kind, string Title, string Status, DateTimeOffset OpenedAt, DateTimeOffset LastActivityAt,
    string Access, double? Latitude, double? Longitude, IReadOnlyList<string> Reasons);

/// <summary>One line of the person's timeline, newest first: an agency record (<paramref name="Kind"/> its record kind) or an incident.</summary>
public sealed record PersonTimelineEntryDto(DateTimeOffset? At, string Kind, Guid Id, string Text);

/// <param name="PlateSightingsVisible">The viewer's access rules let them see this person's plate sightings (Plates was asked, and audited it).</param>
/// <param name="IncidentsVisible">The viewer's access rules let them see incidents near this person.</param>
public sealed record PersonDetailDto(Guid Id, string Name, DateOnly? DateOfBirth, string? Address, string? District, IReadOnlyList<string> Flags,
    IReadOnlyList<PersonLinkDto> Identities, IReadOnlyList<VehicleHitDto> Vehicles, IReadOnlyList<RecordDto> Records,
    IReadOnlyList<GraphNodeDto> Nodes, IReadOnlyList<GraphEdgeDto> Edges, bool PlateSightingsVisible, IReadOnlyList<PersonSightingDto> Sightings,
    bool IncidentsVisible, IReadOnlyList<PersonIncidentDto> Incidents, IReadOnlyList<PersonTimelineEntryDto> Timeline);

// ---------- access rules ----------

/// <param name="AgencyId">null: the default for every agency; set: overrides the default for viewers of that agency.</param>
public sealed record AccessRuleDto(Guid Id, string Role, string RecordKind, string Access, string Scope, bool IncludeSealed, Guid? AgencyId);

public sealed record ListAccessRulesQuery : IQuery<IReadOnlyList<AccessRuleDto>>;

/// <summary>Creates or replaces the rule for (role, kind, agency); <paramref name="Access"/> = "none" removes it.</summary>
public sealed record SetAccessRuleCommand(string Role, string RecordKind, string Access, string Scope, bool IncludeSealed, Guid? AgencyId, string By)
    : ICommand<AccessRuleDto?>;

// ---------- watchlists and releases ----------

/// <summary>Exactly one of person, plate or criteria.</summary>
public sealed record AddWatchlistEntryCommand(string Name, Guid? PersonId, string? Plate, string? Criteria, string By) : ICommand<WatchlistEntryDto>;

public sealed record WatchlistEntryDto(Guid Id, string Name, Guid? PersonId, string? Plate, string? Criteria, string CreatedBy, DateTimeOffset CreatedAt,
    DateTimeOffset? RemovedAt = null, string? RemovedBy = null);

/// <summary>The entries that watch (removed ones are left out).</summary>
public sealed record ListWatchlistQuery : IQuery<IReadOnlyList<WatchlistEntryDto>>;

/// <summary>Stops watching: the entry is kept with who removed it and when (audited) and no longer raises release notices.
/// 404 for an unknown entry, 409 for one already removed.</summary>
public sealed record RemoveWatchlistEntryCommand(Guid EntryId, string By) : ICommand<WatchlistEntryDto>;

/// <summary>
/// A booking ended in release and the person is on a watchlist or has a recidivism flag. Alerts tells the officers of the district of
/// their last known address and the supervising officer, live. Written to Intelligence's outbox with the notification it announces.
/// </summary>
public sealed record ReoffenderReleasedEvent(Guid NotificationId, Guid PersonId, string Name, DateOnly? DateOfBirth, DateTimeOffset ReleasedAt,
    string Facility, string Agency, string? LastKnownAddress, string? District, string? SupervisingOfficer, IReadOnlyList<string> Reasons,
    IReadOnlyList<string> Plates) : Shared.Outbox.IOutboxMessage;

/// <summary>Put a vehicle onto a plate hotlist (for Plates): a warrant became active, or a reoffender was released and the agency's policy says so.</summary>
public sealed record VehicleHotlistRequestedEvent(Guid RequestId, string Plate, string Region, Guid PersonId, string Reason, DateTimeOffset RequestedAt,
    DateTimeOffset? ExpiresAt) : INotification;

/// <summary>Take a vehicle off the hotlist it was put on by <paramref name="RequestId"/> (the warrant was cleared, served or recalled).</summary>
public sealed record VehicleHotlistWithdrawnEvent(Guid RequestId, string Plate, string Region, string Reason, DateTimeOffset WithdrawnAt) : INotification;

public sealed record HotlistRequestDto(Guid Id, string Plate, string Region, Guid PersonId, string Reason, DateTimeOffset RequestedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? WithdrawnAt);

/// <summary>What Intelligence asked Plates to watch for (the same requests went out as events); <paramref name="Plate"/> filters.</summary>
public sealed record ListHotlistRequestsQuery(string? Plate = null) : IQuery<IReadOnlyList<HotlistRequestDto>>;
