using System.Security.Claims;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Intelligence.Contracts;

// ---------- access: who is asking and what their role may see ----------

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

/// <summary>Who is asking: the access rules and the audit log are keyed on this.</summary>
public sealed record Viewer(string Actor, IReadOnlyList<string> Roles, Guid? AgencyId)
{
    public static Viewer Of(ClaimsPrincipal user) =>
        new(user.Actor(), Shared.Security.Roles.People.Where(user.IsInRole).ToList(), user.AgencyId());
}

// ---------- access rules ----------

/// <param name="AgencyId">null: the default for every agency; set: overrides the default for viewers of that agency.</param>
public sealed record AccessRuleDto(Guid Id, string Role, string RecordKind, string Access, string Scope, bool IncludeSealed, Guid? AgencyId);

public sealed record ListAccessRulesQuery : IQuery<IReadOnlyList<AccessRuleDto>>;

/// <summary>Creates or replaces the rule for (role, kind, agency); <paramref name="Access"/> = "none" removes it.</summary>
public sealed record SetAccessRuleCommand(string Role, string RecordKind, string Access, string Scope, bool IncludeSealed, Guid? AgencyId, string By)
    : ICommand<AccessRuleDto?>;
