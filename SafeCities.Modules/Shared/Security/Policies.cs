using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace SafeCities.Modules.Shared.Security;

/// <summary>Every page and endpoint names one of these policies explicitly.</summary>
public static class Policies
{
    public const string Administrators = nameof(Administrators);
    /// <summary>Sees the incident board: administrators, commanders, officers, analysts.</summary>
    public const string CommandStaff = nameof(CommandStaff);
    /// <summary>May acknowledge and close incidents.</summary>
    public const string IncidentResponders = nameof(IncidentResponders);
    public const string GunshotDevices = nameof(GunshotDevices);
    public const string AcousticSensors = nameof(AcousticSensors);
    public const string StreetlightDevices = nameof(StreetlightDevices);
    public const string PlateReaderDevices = nameof(PlateReaderDevices);

    public const string DeviceIdClaim = "safecities:device_id";
    public const string DeviceKindClaim = "safecities:device_kind";

    public static void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(Administrators, p => p.RequireAuthenticatedUser().RequireRole(Roles.Administrator));
        options.AddPolicy(CommandStaff, p => p.RequireAuthenticatedUser().RequireRole(Roles.Administrator, Roles.Commander, Roles.Officer, Roles.Analyst));
        options.AddPolicy(IncidentResponders, p => p.RequireAuthenticatedUser().RequireRole(Roles.Administrator, Roles.Commander, Roles.Officer));
        options.AddPolicy(GunshotDevices, p => p.RequireAuthenticatedUser().RequireRole(Roles.Device)
            .RequireClaim(DeviceKindClaim, DeviceKinds.AcousticSensor, DeviceKinds.GunshotFeed));
        options.AddPolicy(AcousticSensors, p => p.RequireAuthenticatedUser().RequireRole(Roles.Device).RequireClaim(DeviceKindClaim, DeviceKinds.AcousticSensor));
        options.AddPolicy(StreetlightDevices, p => p.RequireAuthenticatedUser().RequireRole(Roles.Device).RequireClaim(DeviceKindClaim, DeviceKinds.Streetlight));
        options.AddPolicy(PlateReaderDevices, p => p.RequireAuthenticatedUser().RequireRole(Roles.Device).RequireClaim(DeviceKindClaim, DeviceKinds.PlateReader));
        // Anything that forgets to name a policy is still closed (the endpoint test also fails on it).
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }

    public static Guid DeviceId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(DeviceIdClaim), out var id) ? id : throw new InvalidOperationException("Not a device principal.");

    public static string Actor(this ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
