namespace SafeCities.Modules.Shared.Security;

public static class Roles
{
    public const string Administrator = "Administrator";
    public const string Commander = "Commander";
    public const string Officer = "Officer";
    public const string Analyst = "Analyst";
    public const string Judge = "Judge";
    public const string ProbationOfficer = "ProbationOfficer";
    /// <summary>The civilian oversight board or auditor: reviews the audit log (who searched what, why); sees no operational data.</summary>
    public const string Oversight = "Oversight";
    /// <summary>Given to every authenticated device key; never to a person.</summary>
    public const string Device = "Device";
    /// <summary>Given to a partner agency's records-feed key; never to a person.</summary>
    public const string AgencyFeed = "AgencyFeed";

    /// <summary>Command staff: the incident board (policy CommandStaff) and the hub's <c>staff</c> group.</summary>
    public static readonly IReadOnlyList<string> Staff = [Administrator, Commander, Officer, Analyst];
    /// <summary>Acknowledge and close incidents and share their position (policy IncidentResponders).</summary>
    public static readonly IReadOnlyList<string> Responders = [Administrator, Commander, Officer];
    /// <summary>Hotlists, plate search, co-location, link review and watchlists; they see restricted lists' reasons (policy IntelligenceAnalysts).</summary>
    public static readonly IReadOnlyList<string> Analysts = [Administrator, Commander, Analyst];
    /// <summary>Told of every officer notice and every hotlist hit (the hub's <c>notices:all</c> group).</summary>
    public static readonly IReadOnlyList<string> Commanders = [Administrator, Commander];

    public static readonly IReadOnlyList<string> People = [Administrator, Commander, Officer, Analyst, Judge, ProbationOfficer, Oversight];

    /// <summary>
    /// Where a person of these roles starts (after signing in, and at <c>/</c>): command staff on the board, oversight on its overview,
    /// partners (judges, probation officers) in the intelligence search.
    /// </summary>
    public static string StartPageFor(IEnumerable<string> roles)
    {
        var set = roles.ToHashSet();
        return set.Overlaps(Staff) ? "/" : set.Contains(Oversight) ? "/Oversight" : "/Intelligence/Search";
    }
}
