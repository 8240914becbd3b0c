using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using SafeCities.Web.Platform.Security;

namespace SafeCities.Tests.Unit;

/// <summary>The production defaults of the web defences, which the test app (plain http, environment Testing) cannot show by itself.</summary>
public sealed partial class WebSecurityDefaultsTests
{
    [Theory]
    [InlineData("https://tiles.agency.example/{z}/{x}/{y}.png", "https://tiles.agency.example")]
    [InlineData("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org")]
    [InlineData("http://10.1.2.3:8080/osm/{z}/{x}/{y}.png?key=1", "http://10.1.2.3:8080")]
    [InlineData("HTTPS://Tiles.Agency.Example/{z}/{x}/{y}.png", "https://tiles.agency.example")]
    public void The_tile_servers_origin_and_nothing_more_is_added_to_img_src(string tileUrl, string origin)
    {
        Assert.Equal(origin, SecurityHeaders.TileOrigin(tileUrl));
        Assert.Contains($"img-src 'self' data: {origin}; ", SecurityHeaders.Policy(SecurityHeaders.TileOrigin(tileUrl)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("/tiles/{z}/{x}/{y}.png")]
    public void Without_a_tile_server_of_another_origin_images_come_from_the_app_only(string? tileUrl)
    {
        Assert.Null(SecurityHeaders.TileOrigin(tileUrl));
        Assert.Contains("img-src 'self' data:; ", SecurityHeaders.Policy(SecurityHeaders.TileOrigin(tileUrl)));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("//tiles.example/{z}/{x}/{y}.png")]
    [InlineData("ftp://tiles.example/{z}.png")]
    [InlineData("https://tiles.example;script-src */{z}.png")]
    [InlineData("https://tiles.example 'unsafe-inline'/{z}.png")]
    public void A_tile_url_that_could_widen_the_policy_stops_the_start(string tileUrl) =>
        Assert.Throws<InvalidOperationException>(() => SecurityHeaders.TileOrigin(tileUrl));

    [Fact]
    public void The_strict_policy_allows_nothing_inline_and_nothing_from_elsewhere()
    {
        var policy = SecurityHeaders.Policy(tileOrigin: null);
        Assert.Equal("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; media-src 'self' blob:; " +
                     "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'", policy);
    }

    [Theory]
    [InlineData("Production", null, true)]
    [InlineData("Staging", null, true)]
    [InlineData("Testing", null, true)]
    [InlineData("Development", null, false)]
    [InlineData("Production", "false", false)]
    [InlineData("Development", "true", true)]
    public async Task Cookies_are_secure_outside_development_unless_switched_off(string environment, string? setting, bool secure)
    {
        await using var app = await MinimalAppAsync(environment, setting is null ? [] : new() { ["Security:SecureCookies"] = setting });
        var response = await app.GetTestClient().GetAsync("/cookies");   // plain http

        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.Equal(2, cookies.Count);   // ours and the antiforgery cookie
        Assert.All(cookies, c => Assert.Equal(secure, c.Contains("; secure", StringComparison.OrdinalIgnoreCase)));
        Assert.All(cookies, c => Assert.Matches("; samesite=(lax|strict)", c.ToLowerInvariant()));
    }

    [Fact]
    public async Task Switched_off_cookies_are_still_secure_over_https()
    {
        await using var app = await MinimalAppAsync("Production", new() { ["Security:SecureCookies"] = "false" });
        var client = app.GetTestClient();
        client.BaseAddress = new Uri("https://rtcc.city.example/");
        var cookies = (await client.GetAsync("/cookies")).Headers.GetValues("Set-Cookie").ToList();
        Assert.All(cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Forwarded_headers_are_believed_from_loopback_unless_proxies_are_configured()
    {
        var defaults = Options(new());
        Assert.Equal(ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost, defaults.ForwardedHeaders);
        Assert.Contains(defaults.KnownIPNetworks, n => n.Contains(IPAddress.Parse("127.0.0.1")));
        Assert.Contains(IPAddress.IPv6Loopback, defaults.KnownProxies);
        Assert.DoesNotContain(defaults.KnownIPNetworks, n => n.Contains(IPAddress.Parse("10.0.0.5")));

        var configured = Options(new() { ["Security:ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/8", ["Security:ForwardedHeaders:KnownProxies"] = "192.0.2.10, 192.0.2.11" });
        Assert.True(configured.KnownIPNetworks.Single().Contains(IPAddress.Parse("10.0.0.5")));
        Assert.Equal([IPAddress.Parse("192.0.2.10"), IPAddress.Parse("192.0.2.11")], configured.KnownProxies);
        Assert.DoesNotContain(configured.KnownIPNetworks, n => n.Contains(IPAddress.Parse("127.0.0.1")));

        Assert.Throws<InvalidOperationException>(() => Options(new() { ["Security:ForwardedHeaders:KnownNetworks"] = "10.0.0.0/33" }));
        Assert.Throws<InvalidOperationException>(() => Options(new() { ["Security:ForwardedHeaders:KnownProxies"] = "nginx" }));
    }

    private static string WebProject => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "SafeCities.Web"));

    [Fact]
    public void No_page_has_an_inline_script_an_event_handler_attribute_or_a_style_attribute()
    {
        var pages = Directory.GetFiles(WebProject, "*.cshtml", SearchOption.AllDirectories).Where(f => !Path.GetRelativePath(WebProject, f).StartsWith("bin", StringComparison.Ordinal)).ToList();
        Assert.True(pages.Count > 30, $"only {pages.Count} pages found");
        var inline = pages.SelectMany(f => File.ReadLines(f).Select((line, n) => (f, n, line)))
            .Where(x => InlineScript().IsMatch(x.line) || EventHandler().IsMatch(x.line) || StyleAttribute().IsMatch(x.line) || x.line.Contains("javascript:", StringComparison.OrdinalIgnoreCase))
            .Select(x => $"{Path.GetRelativePath(WebProject, x.f)}:{x.n + 1}: {x.line.Trim()}").ToList();
        Assert.Empty(inline);
    }

    [Fact]
    public void Every_request_of_the_pages_scripts_goes_through_the_one_helper_that_adds_the_antiforgery_header()
    {
        var scripts = Directory.GetFiles(Path.Combine(WebProject, "wwwroot", "js"), "*.js", SearchOption.AllDirectories);
        Assert.NotEmpty(scripts);
        var direct = scripts.SelectMany(f => File.ReadLines(f).Select((line, n) => (f, n, line)))
            .Where(x => DirectRequest().IsMatch(x.line))
            .Select(x => $"{Path.GetFileName(x.f)}:{x.n + 1}: {x.line.Trim()}").ToList();
        // The helper itself (site.js request()) is the one fetch() call.
        Assert.Equal(["site.js"], direct.Select(d => d.Split(':')[0]));
        Assert.Contains("return fetch(url, { ...options, method, headers: all, credentials: 'same-origin' });", direct.Single());
    }

    // <script> without src (a JSON data block is not script), an on…= handler attribute, a style="…" attribute.
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)(?![^>]*type=""application/json"")[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<[a-z][^>]*\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandler();

    [GeneratedRegex(@"<[a-z][^>]*\sstyle\s*=|<style\b", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttribute();

    [GeneratedRegex(@"\bfetch\(|XMLHttpRequest|navigator\.sendBeacon")]
    private static partial Regex DirectRequest();

    private static ForwardedHeadersOptions Options(Dictionary<string, string?> settings)
    {
        var options = new ForwardedHeadersOptions();
        WebSecurity.ConfigureForwardedHeaders(options, new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return options;
    }

    /// <summary>The app's own cookie and transport set-up (AddWebSecurity, UseTransportSecurity) on a bare host: one endpoint sets a cookie and the antiforgery cookie.</summary>
    private static async Task<WebApplication> MinimalAppAsync(string environment, Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddWebSecurity();
        var app = builder.Build();
        app.UseTransportSecurity();
        app.MapGet("/cookies", (HttpContext context, IAntiforgery antiforgery) =>
        {
            context.Response.Cookies.Append("probe", "1");
            antiforgery.GetAndStoreTokens(context);
            return "ok";
        });
        await app.StartAsync();
        return app;
    }
}
