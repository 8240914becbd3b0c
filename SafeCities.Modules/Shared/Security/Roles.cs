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

    public static readonly IReadOnlyList<string> People = [Administrator, Commander, Officer, Analyst, Judge, ProbationOfficer, Oversight];
}
