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

public sealed record AgencyDto(Guid Id, string Name, string Kind, DateTimeOffset RegisteredAt, int? ReleaseHotlistDays);

/// <summary>A partner agency (police, jail, prison, parole/probation, court) that feeds records into the framework.</summary>
/// <param name="ReleaseHotlistDays">When set, a released reoffender's vehicles go onto a plate hotlist for this many days.</param>
public sealed record RegisterAgencyCommand(string Name, string Kind, int? ReleaseHotlistDays = null) : ICommand<AgencyDto>;

public sealed record ListAgenciesQuery : IQuery<IReadOnlyList<AgencyDto>>;

public sealed record GetAgencyQuery(Guid AgencyId) : IQuery<AgencyDto?>;

/// <summary>Agency <paramref name="FromAgencyId"/> lets analysts of agency <paramref name="ToAgencyId"/> see its records (rules with scope <c>shared</c>).</summary>
public sealed record AddSharingAgreementCommand(Guid FromAgencyId, Guid ToAgencyId, string By) : ICommand<Guid>;
