namespace SafeCities.Modules.Intelligence.Contracts;

// ---------- records: their kinds and their ingestion ----------

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

/// <summary>Whether the agency already holds its record <paramref name="SourceId"/> of <paramref name="Kind"/> (what a back-load asks before
/// sending a batch it may have sent before, without writing anything).</summary>
public sealed record RecordExistsQuery(Guid AgencyId, string Kind, string SourceId) : IQuery<bool>;

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
    public const int MaxLines = 1000;

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
