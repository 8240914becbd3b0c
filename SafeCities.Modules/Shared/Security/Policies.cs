using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace SafeCities.Modules.Shared.Security;

/// <summary>
/// Every page and endpoint names one of these policies explicitly. The policies for device keys are declared by the modules that own the
/// device kinds (<c>AddDevicePolicy</c> in their <c>AddXModule</c>).
/// </summary>
public static class Policies
{
    public const string Administrators = nameof(Administrators);
    /// <summary>Sees the incident board: administrators, commanders, officers, analysts.</summary>
    public const string CommandStaff = nameof(CommandStaff);
    /// <summary>May search and export the incident history: command staff and oversight.</summary>
    public const string IncidentHistoryReaders = nameof(IncidentHistoryReaders);
    /// <summary>May acknowledge and close incidents.</summary>
    public const string IncidentResponders = nameof(IncidentResponders);
    /// <summary>Any person's role (staff and partners), never a device; also who may search the intelligence framework (what they then see is
    /// decided by the access rules, per record).</summary>
    public const string People = nameof(People);
    /// <summary>May confirm or split entity-resolution links and keep watchlists: administrators, commanders, analysts.</summary>
    public const string IntelligenceAnalysts = nameof(IntelligenceAnalysts);
    /// <summary>An API key issued to a partner agency's records system (jail, court, parole…): pushes that agency's records.</summary>
    public const string AgencyFeeds = nameof(AgencyFeeds);
    /// <summary>May review the audit log (searches with their purpose, record views, configuration changes): administrators and oversight.</summary>
    public const string AuditReviewers = nameof(AuditReviewers);
    /// <summary>May record complaints and violations of a technology's use policy: the oversight body only (ADR 0052), not the administrators it oversees.</summary>
    public const string OversightBody = nameof(OversightBody);
    /// <summary>Approve or deny look-ups that wait for a supervisor (no case number, or a sensitive term): commanders and administrators.</summary>
    public const string SearchApprovers = nameof(SearchApprovers);

    public const string DeviceIdClaim = "safecities:device_id";
    public const string DeviceKindClaim = "safecities:device_kind";
    /// <summary>The partner agency a user or API client belongs to (its records feed, or the agency whose sharing agreements apply).</summary>
    public const string AgencyIdClaim = "safecities:agency_id";
    /// <summary>The police district an officer serves (set by an administrator): release notices for that district reach them live.</summary>
    public const string DistrictClaim = "safecities:district";

    public static void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(Administrators, p => p.RequireAuthenticatedUser().RequireRole(Roles.Administrator));
        options.AddPolicy(CommandStaff, p => p.RequireAuthenticatedUser().RequireRole([.. Roles.Staff]));
        options.AddPolicy(IncidentHistoryReaders, p => p.RequireAuthenticatedUser().RequireRole([.. Roles.Staff, Roles.Oversight]));
        options.AddPolicy(IncidentResponders, p => p.RequireAuthenticatedUser().RequireRole([.. Roles.Responders]));
        options.AddPolicy(People, p => p.RequireAuthenticatedUser().RequireRole(Roles.People));
        options.AddPolicy(IntelligenceAnalysts, p => p.RequireAuthenticatedUser().RequireRole([.. Roles.Analysts]));
        options.AddPolicy(SearchApprovers, p => p.RequireAuthenticatedUser().RequireRole([.. Roles.Commanders]));
        options.AddPolicy(AuditReviewers, p => p.RequireAuthenticatedUser().RequireRole(Roles.Administrator, Roles.Oversight));
        options.AddPolicy(OversightBody, p => p.RequireAuthenticatedUser().RequireRole(Roles.Oversight));
        options.AddPolicy(AgencyFeeds, p => p.RequireAuthenticatedUser().RequireRole(Roles.AgencyFeed).RequireClaim(AgencyIdClaim));
        // Anything that forgets to name a policy is still closed (the endpoint test also fails on it).
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }

    public static Guid DeviceId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(DeviceIdClaim), out var id) ? id : throw new InvalidOperationException("Not a device principal.");

    /// <summary>The agency of a user or API client, if it belongs to one.</summary>
    public static Guid? AgencyId(this ClaimsPrincipal user) => Guid.TryParse(user.FindFirstValue(AgencyIdClaim), out var id) ? id : null;

    public static bool IsInAnyRole(this ClaimsPrincipal user, IReadOnlyList<string> roles) => roles.Any(user.IsInRole);

    public static string Actor(this ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
