using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using SafeCities.Modules.Platform.ApiKeys;
using SafeCities.Modules.Platform.Identity;

namespace SafeCities.Tests.Integration;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SecurityTests(AppFixture app)
{
    [Fact]
    public void Every_endpoint_and_page_names_its_authorization_explicitly()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(endpoints.Count > 20, $"only {endpoints.Count} endpoints found");
        // The one exception: the development-time static-web-assets fallback ({**path:file}, added by UseStaticWebAssets, absent
        // from published builds). It carries no metadata of ours; the fallback policy (authenticated users) still closes it.
        var devFallback = endpoints.Where(e => e.RoutePattern.RawText == "{**path:file}").ToList();
        Assert.True(devFallback.Count <= 1);
        Assert.NotNull(app.Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy);
        var unprotected = endpoints.Except(devFallback)
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any())
            .Select(e => e.RoutePattern.RawText ?? e.DisplayName).ToList();
        Assert.Empty(unprotected);
        // The ones that must stay closed really are.
        static string Route(RouteEndpoint e) => (e.RoutePattern.RawText ?? "").Trim('/');
        foreach (var route in new[] { "api/v1/sensors/gunshots", "api/v1/devices", "api/v1/incidents", "hubs/incidents", "hangfire", "openapi/{documentName}.json",
                     "Admin/Devices", "Admin/ApiClients", "Admin/Users", "api/v1/users", "Alerts/Incidents/Details/{id:guid}" })
        {
            var matching = endpoints.Where(e => Route(e).StartsWith(route, StringComparison.Ordinal)).ToList();
            Assert.True(matching.Count > 0, $"no endpoint for {route}; routes: {string.Join(", ", endpoints.Select(Route))}");
            Assert.All(matching, e => Assert.NotEmpty(e.Metadata.GetOrderedMetadata<IAuthorizeData>()));
        }
    }

    [Fact]
    public async Task Health_answers_200_while_the_database_is_reachable()
    {
        using var anonymous = app.Client();
        var response = await anonymous.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Pages_send_strangers_to_the_login_page_and_apis_answer_401()
    {
        using var anonymous = app.Client();
        var page = await anonymous.GetAsync("");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/Account/Login", page.Headers.Location!.PathAndQuery);
        var api = await anonymous.GetAsync("api/v1/incidents");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account()
    {
        var email = $"lock-{Guid.NewGuid():N}@safecities.test";
        await app.InScopeAsync(sp => sp.GetRequiredService<IdentitySeeder>().EnsureUserAsync(email, AppFixture.DemoPassword, Roles.Officer));
        using var client = app.Client();
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.SignInAsync(email, "wrong-password-" + i)).StatusCode);

        var right = await client.SignInAsync(email, AppFixture.DemoPassword);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync());
        var locked = await app.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<IdentityUser>>();
            return await users.IsLockedOutAsync((await users.FindByEmailAsync(email))!);
        });
        Assert.True(locked);
    }

    [Fact]
    public void Sessions_expire_after_30_idle_minutes()
    {
        var cookie = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        Assert.Equal(TimeSpan.FromMinutes(30), cookie.ExpireTimeSpan);
        Assert.True(cookie.SlidingExpiration);
        Assert.True(cookie.Cookie.HttpOnly);
    }

    [Fact]
    public async Task The_job_dashboard_is_for_administrators_only()
    {
        using var admin = await app.SignedInAsync(Users.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("hangfire")).StatusCode);
        using var officer = await app.SignedInAsync(Users.Officer);
        var denied = await officer.GetAsync("hangfire");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", denied.Headers.Location!.PathAndQuery);
        using var anonymous = app.Client();
        Assert.StartsWith("/Account/Login", (await anonymous.GetAsync("hangfire")).Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task The_openapi_document_and_reference_are_for_administrators()
    {
        using var admin = app.AdminClient();
        var doc = await admin.GetAsync("openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, doc.StatusCode);
        var json = await doc.ReadJsonAsync();
        foreach (var path in new[] { "/api/v1/sensors/gunshots", "/api/v1/incidents", "/api/v1/devices" })
            Assert.NotNull(json["paths"]![path]);
        var reference = await admin.GetAsync("api/docs/");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Contains("openapi/v1.json", await reference.Content.ReadAsStringAsync());
        using var officer = app.Client(await app.CreateClientKeyAsync(Roles.Officer));
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task The_bootstrap_key_is_provisioned_once_and_revoked_keys_stop_working()
    {
        await app.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<ApiKeyService>().EnsureBootstrapAdminAsync(app.AdminKey, default);
            return 0;
        });
        Assert.Equal(1, await app.CountAsync("SELECT count(*) FROM platform.api_keys WHERE created_by = 'bootstrap'"));

        var key = await app.CreateClientKeyAsync(Roles.Analyst);
        using var analyst = app.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("api/v1/incidents")).StatusCode);
        var id = await app.InScopeAsync(async sp =>
        {
            var keys = sp.GetRequiredService<ApiKeyService>();
            var info = (await keys.ListAsync(ApiKey.Client, default)).Single(k => k.Hint == key[..8] && k.Role == Roles.Analyst);
            return await keys.RevokeAsync(info.Id, default) ? info.Id : Guid.Empty;
        });
        Assert.NotEqual(Guid.Empty, id);
        Assert.Equal(HttpStatusCode.Unauthorized, (await analyst.GetAsync("api/v1/incidents")).StatusCode);
    }
}
