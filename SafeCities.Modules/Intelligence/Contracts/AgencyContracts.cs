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

/// <param name="Sector">public | private (<see cref="AgencySectors"/>).</param>
/// <param name="State">Two-letter state (or territory) code; null: federal or unknown, which no state-restricted sharing rule lets through.</param>
/// <param name="Functions">What else it does that a sharing rule may deny (<see cref="AgencyFunctions"/>).</param>
/// <param name="PartOfCity">A department of the city itself (its police): reading the city's own data (plates, incidents) is not sharing.</param>
public sealed record AgencyDto(Guid Id, string Name, string Kind, DateTimeOffset RegisteredAt, int? ReleaseHotlistDays, string Sector = AgencySectors.Public,
    string? State = null, IReadOnlyList<string>? Functions = null, bool PartOfCity = false);

/// <summary>A partner agency (police, jail, prison, parole/probation, court) that feeds records into the framework.</summary>
/// <param name="ReleaseHotlistDays">When set, a released reoffender's vehicles go onto a plate hotlist for this many days.</param>
/// <param name="Sector">public (default) | private; <paramref name="State"/>, <paramref name="Functions"/>, <paramref name="PartOfCity"/>: see <see cref="AgencyDto"/>.</param>
public sealed record RegisterAgencyCommand(string Name, string Kind, int? ReleaseHotlistDays = null, string? Sector = null, string? State = null,
    IReadOnlyList<string>? Functions = null, bool PartOfCity = false) : ICommand<AgencyDto>;

public sealed record ListAgenciesQuery : IQuery<IReadOnlyList<AgencyDto>>;

public sealed record GetAgencyQuery(Guid AgencyId) : IQuery<AgencyDto?>;

/// <summary>Refused (400, naming the rule) when the receiving agency breaks an enabled sharing rule. Agency <paramref name="FromAgencyId"/> lets analysts of agency <paramref name="ToAgencyId"/> see its records (rules with scope <c>shared</c>).</summary>
public sealed record AddSharingAgreementCommand(Guid FromAgencyId, Guid ToAgencyId, string By) : ICommand<Guid>;

/// <summary>
/// Sets what sharing rules look at for an agency registered earlier (sector, state, functions, part of the city). Audited with before and after;
/// null when there is no such agency.
/// </summary>
public sealed record SetAgencySharingProfileCommand(Guid AgencyId, string Sector, string? State, IReadOnlyList<string>? Functions, bool PartOfCity, string By)
    : ICommand<AgencyDto?>;
