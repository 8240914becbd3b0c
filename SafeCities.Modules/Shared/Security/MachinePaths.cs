using Microsoft.AspNetCore.Http;

namespace SafeCities.Modules.Shared.Security;

/// <summary>
/// The paths programs call (the API, the SignalR hubs, the OpenAPI document, the SensorThings API): an unauthenticated or unauthorised call
/// gets a 401/403 problem, never a redirect to the sign-in page meant for people.
/// </summary>
public static class MachinePaths
{
    private static readonly string[] Roots = ["/api", "/hubs", "/openapi", "/sensorthings"];

    public static bool Contains(PathString path) => Roots.Any(root => path.StartsWithSegments(root));
}
