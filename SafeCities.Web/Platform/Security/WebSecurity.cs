using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace SafeCities.Web.Platform.Security;

/// <summary>
/// Cookies and TLS: every cookie the app sets (sign-in, antiforgery, anything added later) is <c>Secure</c> unless
/// <c>Security:SecureCookies</c> is false (default: true outside Development), and at least SameSite=Lax. Behind a TLS-terminating proxy
/// the client's address, scheme and host come from <c>X-Forwarded-For/Proto/Host</c>, believed only from the proxies and networks in
/// <c>Security:ForwardedHeaders:KnownProxies</c> / <c>KnownNetworks</c> (default: loopback, a proxy on the same machine).
/// </summary>
internal static class WebSecurity
{
    public static WebApplicationBuilder AddWebSecurity(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var secure = SecureCookies(config, builder.Environment);
        builder.Services.Configure<CookiePolicyOptions>(o =>
        {
            // SameAsRequest when switched off: still Secure over HTTPS, directly or as the proxy reports it.
            o.Secure = secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.MinimumSameSitePolicy = SameSiteMode.Lax;
        });
        builder.Services.AddAntiforgery(o =>
        {
            o.HeaderName = RequestForgery.HeaderName;
            // SecurityHeaders sends DENY on every response; the antiforgery default (SAMEORIGIN on pages with a token) would be weaker.
            o.SuppressXFrameOptionsHeader = true;
        });
        builder.Services.Configure<ForwardedHeadersOptions>(o => ConfigureForwardedHeaders(o, config));
        // No client-side validation script is loaded; with client validation on, an empty validation summary still renders a hidden
        // <li style="display:none">, an inline style the Content-Security-Policy refuses. Off, a valid form renders no summary at all.
        builder.Services.Configure<MvcViewOptions>(o => o.HtmlHelperOptions.ClientValidationEnabled = false);
        return builder;
    }

    /// <summary>First in the pipeline: the proxy's view of the request, then the cookie policy before anything writes a cookie.</summary>
    public static IApplicationBuilder UseTransportSecurity(this IApplicationBuilder app) => app.UseForwardedHeaders().UseCookiePolicy();

    internal static bool SecureCookies(IConfiguration config, IHostEnvironment environment) =>
        config.GetValue<bool?>("Security:SecureCookies") ?? !environment.IsDevelopment();

    internal static void ConfigureForwardedHeaders(ForwardedHeadersOptions o, IConfiguration config)
    {
        o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
        // Each hop is believed only while the address it came from is a known proxy, so a chain of them (load balancer → nginx) is fine.
        o.ForwardLimit = null;
        var proxies = List(config, "Security:ForwardedHeaders:KnownProxies");
        var networks = List(config, "Security:ForwardedHeaders:KnownNetworks");
        if (proxies.Length == 0 && networks.Length == 0)
            return;   // the framework's defaults: 127.0.0.0/8 and ::1
        o.KnownProxies.Clear();
        o.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
            o.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address
                : throw new InvalidOperationException($"Security:ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address."));
        foreach (var network in networks)
            o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed) ? parsed
                : throw new InvalidOperationException($"Security:ForwardedHeaders:KnownNetworks: '{network}' is not a network (CIDR, e.g. 10.0.0.0/8)."));
    }

    /// <summary>A list setting given as a JSON array or as one comma-separated value (handy in an environment variable).</summary>
    internal static string[] List(IConfiguration config, string key)
    {
        var section = config.GetSection(key);
        var values = section.Value is { } single ? single.Split(',') : section.GetChildren().Select(c => c.Value ?? "");
        return [.. values.Select(v => v.Trim()).Where(v => v.Length > 0)];
    }
}
