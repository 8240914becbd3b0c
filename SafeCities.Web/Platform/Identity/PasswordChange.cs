using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Web.Platform.Identity;

/// <summary>
/// A one-time password (given by an administrator, or printed by <c>create-admin</c>) must be replaced before anything else: the user
/// carries <see cref="RequiredClaim"/> until they choose their own at <see cref="Page"/>. Until then pages redirect there and the API and
/// hub answer 403. Anonymous endpoints (sign-in, static files, transparency) and sign-out stay open.
/// </summary>
internal static class PasswordChange
{
    public const string RequiredClaim = "safecities:password_change_required";
    public const string Page = "/Me/Password";

    public static IApplicationBuilder UsePasswordChangeGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (!context.User.HasClaim(RequiredClaim, "1") || context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null
            || path.StartsWithSegments(Page) || path.StartsWithSegments("/Account"))
        {
            await next();
            return;
        }
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs"))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = 403, Title = "Change your one-time password first.", Detail = $"Choose your own password at {Page}." },
            });
            return;
        }
        context.Response.Redirect($"{Page}?returnUrl={Uri.EscapeDataString(path + context.Request.QueryString)}");
    });

    /// <summary>Where each role starts: command staff on the board, oversight on the audit log, partners (judges, probation) in intelligence.</summary>
    public static string StartPageFor(IEnumerable<string> roles)
    {
        var set = roles.ToHashSet();
        return set.Overlaps(Roles.Staff) ? "/"
            : set.Contains(Roles.Oversight) ? "/Audit"
            : "/Intelligence/Search";
    }
}
