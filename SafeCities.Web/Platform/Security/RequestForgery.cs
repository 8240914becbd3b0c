using Microsoft.AspNetCore.Antiforgery;
using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Web.Platform.Security;

/// <summary>
/// Cross-site request forgery, closed in one place for every endpoint (API, pages, hub negotiation, job dashboard): a request that
/// changes something (any method but GET, HEAD, OPTIONS, TRACE) and is signed in with the session cookie must carry the page's
/// antiforgery token (the <see cref="HeaderName"/> header the pages' scripts send, or a form's hidden field). API clients and devices
/// authenticate with <c>X-Api-Key</c>, which a browser never adds by itself, so their requests pass unchanged. A WebSocket (or any other
/// request) to <c>/hubs</c> from a page of another origin is refused: a WebSocket carries no token, but browsers always send its
/// <c>Origin</c>, so another site (even a sibling subdomain, which SameSite does not stop) cannot listen to the live board with a
/// signed-in person's cookie.
/// </summary>
internal static class RequestForgery
{
    public const string HeaderName = "RequestVerificationToken";

    public static IApplicationBuilder UseRequestForgeryProtection(this WebApplication app)
    {
        var allowedOrigins = WebSecurity.List(app.Configuration, "Security:AllowedOrigins").Select(o => o.TrimEnd('/')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (request.Path.StartsWithSegments("/hubs") && request.Headers.Origin is [{ } origin]
                && !IsOwnOrigin(origin, request) && !allowedOrigins.Contains(origin))
            {
                await RefuseAsync(context, StatusCodes.Status403Forbidden, "Cross-origin connection refused.",
                    $"The live connection accepts pages of this site only, not {origin}.");
                return;
            }
            if (NeedsToken(context))
            {
                try
                {
                    await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context);
                }
                catch (AntiforgeryValidationException)
                {
                    await RefuseAsync(context, StatusCodes.Status400BadRequest,
                        request.Headers.ContainsKey(HeaderName) || request.HasFormContentType
                            ? "The antiforgery token is missing or invalid." : "The antiforgery token is missing.",
                        $"A change made with the sign-in cookie must carry the page's antiforgery token in the {HeaderName} header " +
                        "(the pages send it; reload the page if it has expired). API clients and devices send X-Api-Key instead.");
                    return;
                }
            }
            await next(context);
        });
    }

    /// <summary>Signed in with the cookie (the only other way in, <c>X-Api-Key</c>, is chosen whenever that header is present) and changing something.</summary>
    internal static bool NeedsToken(HttpContext context) =>
        !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method)
          || HttpMethods.IsTrace(context.Request.Method))
        && context.User.Identity?.IsAuthenticated == true
        && !context.Request.Headers.ContainsKey(ApiKeyHeader.Name);

    /// <summary>
    /// The request's own origin: scheme, host and port as the client sent them or a known proxy reports them (X-Forwarded-Proto/Host).
    /// A proxy that passes neither the client's Host nor X-Forwarded-Host needs the public origin in <c>Security:AllowedOrigins</c>.
    /// </summary>
    internal static bool IsOwnOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var from) && request.Host.HasValue
        && Uri.TryCreate($"{request.Scheme}://{request.Host.Value}", UriKind.Absolute, out var self)
        && string.Equals(from.Scheme, self.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(from.IdnHost, self.IdnHost, StringComparison.OrdinalIgnoreCase)
        && from.Port == self.Port;

    private static ValueTask RefuseAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
