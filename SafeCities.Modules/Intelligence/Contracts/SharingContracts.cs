using SafeCities.Modules.Shared.Time;

namespace SafeCities.Modules.Intelligence.Contracts;

// ---------- sharing you can see (issue 14, ADR 0041) ----------

/// <summary>
/// The classes of data another agency can read, as counted on the public page and named by sharing rules: each record kind maps to one
/// (<see cref="Of"/>). <see cref="Plates"/> and <see cref="Incidents"/> are the city's own data (plate reads from Plates, incidents from Alerts);
/// the others belong to the agency that sent the record.
/// </summary>
public static class DataClasses
{
    public const string Persons = "persons";
    public const string Vehicles = "vehicles";
    public const string Bookings = "bookings";
    public const string Supervision = "supervision";
    public const string Warrants = "warrants";
    public const string CourtCases = "court-cases";
    public const string CallsForService = "calls-for-service";
    public const string Plates = "plates";
    public const string Incidents = "incidents";
    public static readonly IReadOnlyList<string> All = [Persons, Vehicles, Bookings, Supervision, Warrants, CourtCases, CallsForService, Plates, Incidents];
    /// <summary>Data the city holds itself: an agency that is part of the city reads it as its own, not as another agency.</summary>
    public static readonly IReadOnlyList<string> City = [Plates, Incidents];

    public static string Of(string recordKind) => recordKind switch
    {
        RecordKinds.Person => Persons,
        RecordKinds.Vehicle => Vehicles,
        RecordKinds.Booking => Bookings,
        RecordKinds.Supervision => Supervision,
        RecordKinds.Warrant => Warrants,
        RecordKinds.CourtCase => CourtCases,
        RecordKinds.CallForService => CallsForService,
        RecordKinds.PlateSighting => Plates,
        RecordKinds.Incident => Incidents,
        _ => recordKind,
    };
}

/// <summary>Whether an agency is a public body or a private company (SB 34: plate data goes to public agencies only).</summary>
public static class AgencySectors
{
    public const string Public = "public";
    public const string Private = "private";
    public static readonly IReadOnlyList<string> All = [Public, Private];
}

/// <summary>What an agency does beyond its kind, for rules that deny a purpose (e.g. a state's law: no plate data to immigration enforcement).</summary>
public static class AgencyFunctions
{
    public const string ImmigrationEnforcement = "immigration-enforcement";
    public const string FederalLawEnforcement = "federal-law-enforcement";
    public static readonly IReadOnlyList<string> All = [ImmigrationEnforcement, FederalLawEnforcement];
}

/// <summary>
/// A sharing rule (data): <paramref name="DataClass"/> may go only to agencies of the listed sectors and states (empty: any) and never to agencies
/// with one of <paramref name="DeniedFunctions"/>. A disabled rule is kept (an example, or a law not in force here) but checks nothing.
/// </summary>
public sealed record SharingRuleDto(Guid Id, string Name, string DataClass, IReadOnlyList<string> AllowedSectors, IReadOnlyList<string> AllowedStates,
    IReadOnlyList<string> DeniedFunctions, string? Citation, bool Enabled, DateTimeOffset UpdatedAt, string UpdatedBy);

public sealed record ListSharingRulesQuery : IQuery<IReadOnlyList<SharingRuleDto>>;

/// <summary>Creates a rule (<paramref name="Id"/> null) or replaces one. Audited. Refused (400) when a state is not two letters or a value is unknown.</summary>
public sealed record SaveSharingRuleCommand(Guid? Id, string Name, string DataClass, IReadOnlyList<string>? AllowedSectors, IReadOnlyList<string>? AllowedStates,
    IReadOnlyList<string>? DeniedFunctions, string? Citation, bool Enabled, string By) : ICommand<SharingRuleDto>;

/// <summary>Deletes a rule (audited with what it said). False when there was none.</summary>
public sealed record DeleteSharingRuleCommand(Guid Id, string By) : ICommand<bool>;

/// <param name="BlockedBy">The enabled rules the receiving agency breaks (each a sentence naming the rule): its analysts' queries are refused.</param>
public sealed record SharingAgreementDto(Guid Id, Guid FromAgencyId, string FromAgency, Guid ToAgencyId, string ToAgency, DateTimeOffset CreatedAt, string CreatedBy,
    IReadOnlyList<string> BlockedBy);

public sealed record ListSharingAgreementsQuery : IQuery<IReadOnlyList<SharingAgreementDto>>;

/// <summary>
/// Public: per month (in <paramref name="TimeZone"/>) the agencies that actually read data, from the log of their reads (never a hand-kept list),
/// with reads and items per data class.
/// </summary>
public sealed record GetAgencyReadsQuery(DateTimeOffset From, DateTimeOffset To, string TimeZone) : IQuery<AgencyReadsDto>, IMonthlyPeriodQuery;

/// <param name="Reads">Searches and person views that returned data of this class to the agency.</param>
/// <param name="Items">Persons, records, vehicles, plate reads or incidents of this class they returned.</param>
public sealed record AgencyReadCountDto(string DataClass, int Reads, int Items);

public sealed record AgencyReadRowDto(string Agency, string Kind, IReadOnlyList<AgencyReadCountDto> Classes);

public sealed record AgencyReadMonthDto(string Month, IReadOnlyList<AgencyReadRowDto> Agencies);

public sealed record AgencyReadsDto(string TimeZone, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<AgencyReadMonthDto> Months);

/// <summary>The public figures of agencies' reads over the last months (the transparency page and its API share one cached entry).</summary>
public static class AgencyReadsFigures
{
    public static string CacheKey(int months) => $"transparency:agency-reads:{months}";
}

// ---------- reads made through another module (Plates' search, vehicle sightings, co-location; ADR 0051) ----------

/// <summary>
/// What the sharing rules say of an agency before another module shows it <paramref name="DataClasses"/>: the sentences of the enabled rules it
/// breaks, and whether it is part of the city (then the city's own data is its own: not logged, no rule applies). Null: no such agency.
/// </summary>
public sealed record GetAgencySharingStatusQuery(Guid AgencyId, IReadOnlyList<string> DataClasses) : IQuery<AgencySharingStatusDto?>;

public sealed record AgencySharingStatusDto(Guid AgencyId, string Name, bool PartOfCity, IReadOnlyList<string> Breaches);

/// <summary>
/// Logs a read by another agency made through another module: <paramref name="Items"/> items of <paramref name="DataClass"/> shown to a viewer
/// (<paramref name="Actor"/>) of <paramref name="AgencyId"/> by <paramref name="Action"/>, at <paramref name="At"/> — the instant of the read's
/// audit entry. The caller audits first and sends this before it returns anything.
/// </summary>
public sealed record RecordAgencyReadCommand(Guid AgencyId, string DataClass, int Items, string Action, string Actor, DateTimeOffset At) : ICommand;
