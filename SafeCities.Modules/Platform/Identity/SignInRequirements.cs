using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform.Identity;

/// <summary>
/// What a signed-in person must do before anything else, in order: replace a one-time password (<see cref="PasswordChange"/>), then set up
/// a second factor when their role requires one (<see cref="TwoFactor"/>, <c>Security:Mfa</c>). Until then every page redirects to the
/// step's page and the API and hub answer 403. Anonymous endpoints (sign-in, static files, transparency) and <c>/Account</c> (sign-out,
/// the second sign-in step) stay open.
/// </summary>
internal static class SignInRequirements
{
    private sealed record Step(string Page, string Title, string Detail);

    private const string PendingItem = "safecities:sign-in-step";

    private static readonly Step ChangePassword = new(PasswordChange.Page, "Change your one-time password first.", $"Choose your own password at {PasswordChange.Page}.");
    private static readonly Step EnrolMfa = new(TwoFactor.Page, "Set up two-factor sign-in first.",
        $"Your role requires a second factor: set up an authenticator app at {TwoFactor.Page}.");

    public static IApplicationBuilder UseSignInRequirements(this IApplicationBuilder app)
    {
        var mfa = app.ApplicationServices.GetRequiredService<IOptionsMonitor<MfaOptions>>();
        return app.Use(async (context, next) =>
        {
            var user = context.User;
            var step = user.HasClaim(PasswordChange.RequiredClaim, "1") ? ChangePassword
                : mfa.CurrentValue.MustEnrol(user) ? EnrolMfa
                : null;
            if (step is not null)
                context.Items[PendingItem] = step.Page;
            var path = context.Request.Path;
            if (step is null || context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null
                || path.StartsWithSegments(step.Page) || path.StartsWithSegments("/Account"))
            {
                await next();
                return;
            }
            if (MachinePaths.Contains(path))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = { Status = 403, Title = step.Title, Detail = step.Detail },
                });
                return;
            }
            context.Response.Redirect($"{step.Page}?returnUrl={Uri.EscapeDataString(path + context.Request.QueryString)}");
        });
    }

    /// <summary>
    /// The page of the step this request's person still has to take (null: none). The layout then leaves out what would only be refused
    /// (the live connection for notices, position sharing).
    /// </summary>
    public static string? PendingStep(HttpContext context) => context.Items.TryGetValue(PendingItem, out var page) ? page as string : null;
}
