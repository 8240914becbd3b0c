using Scalar.AspNetCore;

namespace SafeCities.Web.Platform.Security;

/// <summary>
/// The browser-side defences on every response (pages, API, static files, errors): a strict Content-Security-Policy, no MIME sniffing,
/// no framing, no referrer to other origins, geolocation for this origin only and every other powerful feature off, and a browsing
/// context of our own. Written just before the response starts, so error pages (the exception handler clears headers) carry them too.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>The policy for every page but the two admin-only tools below. Nothing inline, nothing from another origin but the map tiles.</summary>
    internal static string Policy(string? tileOrigin, string? scriptNonce = null, bool inlineStyles = false) => string.Join("; ",
        "default-src 'self'",
        "script-src 'self'" + (scriptNonce is null ? "" : $" 'nonce-{scriptNonce}'"),
        "style-src 'self'" + (inlineStyles ? " 'unsafe-inline'" : ""),
        "img-src 'self' data:" + (tileOrigin is null ? "" : " " + tileOrigin),
        "font-src 'self'",
        // Live camera video: hls.js feeds the video element through Media Source Extensions, whose source is a blob: URL of this page.
        "media-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'");

    // Officers share their position from the phone (the layout's switch); nothing else of the kind is used.
    private const string Permissions = "geolocation=(self), camera=(), microphone=(), display-capture=(), payment=(), usb=(), serial=(), hid=(), " +
                                       "bluetooth=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=()";

    public static IApplicationBuilder UseSecurityHeaders(this WebApplication app)
    {
        var tileOrigin = TileOrigin(app.Configuration["Map:TileUrl"]);
        var strict = Policy(tileOrigin);
        // The job dashboard (Hangfire) writes style="…" attributes in its own pages; its scripts are its own files. Administrators only.
        var dashboard = Policy(tileOrigin: null, inlineStyles: true);
        return app.Use((context, next) =>
        {
            // Read now: the dashboard moves its prefix into PathBase while it runs.
            var path = context.Request.Path;
            var isDashboard = path.StartsWithSegments("/hangfire");
            var isApiReference = path.StartsWithSegments("/api/docs");
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy =
                    isDashboard ? dashboard
                    // The API reference (Scalar, administrators only) boots with one inline module script that carries a fresh nonce per
                    // request, and its components style themselves inline.
                    : isApiReference && context.Items[ScalarOptions.NonceHttpContextItemKey] is string nonce
                        ? Policy(tileOrigin: null, scriptNonce: nonce, inlineStyles: true)
                    : strict;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                headers["Permissions-Policy"] = Permissions;
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    /// <summary>
    /// The origin of the configured map tile server (<c>https://tiles.agency.example</c>), added to <c>img-src</c>; null when tiles are off or
    /// come from this app. Leaflet's <c>{s}</c> subdomain placeholder becomes a wildcard. A URL that is not http(s) stops the start.
    /// </summary>
    internal static string? TileOrigin(string? tileUrl)
    {
        if (string.IsNullOrWhiteSpace(tileUrl) || tileUrl.StartsWith('/') && !tileUrl.StartsWith("//", StringComparison.Ordinal))
            return null;
        var schemeEnd = tileUrl.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? "" : tileUrl[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("https" or "http"))
            throw new InvalidOperationException($"Map:TileUrl must be an http(s) URL or a path on this site; got '{tileUrl}'.");
        var rest = tileUrl[(schemeEnd + 3)..];
        var authority = rest[..(rest.IndexOfAny(['/', '?', '#']) is var end and >= 0 ? end : rest.Length)].Replace("{s}", "*", StringComparison.Ordinal);
        if (authority.Length == 0 || authority.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '*' or '[' or ']')))
            throw new InvalidOperationException($"Map:TileUrl has an unusable host; got '{tileUrl}'.");
        return $"{scheme}://{authority.ToLowerInvariant()}";
    }
}
