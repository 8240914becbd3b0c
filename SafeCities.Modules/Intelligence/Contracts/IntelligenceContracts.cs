using Mediator;

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

public sealed record AgencyDto(Guid Id, string Name, string Kind, DateTimeOffset RegisteredAt);

/// <summary>A partner agency (police, jail, prison, parole/probation, court) that will feed records into the framework.</summary>
public sealed record RegisterAgencyCommand(string Name, string Kind) : ICommand<AgencyDto>;

public sealed record ListAgenciesQuery : IQuery<IReadOnlyList<AgencyDto>>;
