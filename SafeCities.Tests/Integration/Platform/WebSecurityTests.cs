using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Tests.Integration.Intelligence;
using SafeCities.Tests.Integration.Plates;
using SafeCities.Web.Platform.Security;

namespace SafeCities.Tests.Integration.Platform;

/// <summary>
/// The sign-in cookie alone changes nothing (cross-site request forgery), every response carries the browser-side defences, and
/// behind a TLS proxy cookies are Secure and the client's scheme and host are believed.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class WebSecurityTests(AppFixture app)
{
    private static async Task AssertRefusedForTheTokenAsync(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.StartsWith("The antiforgery token is missing", problem["title"]!.GetValue<string>());
        Assert.Contains(RequestForgery.HeaderName, problem["detail"]!.GetValue<string>());
    }

    private async Task<JsonNode> UserAsync(string email)
    {
        using var admin = app.AdminClient();
        return await (await admin.GetAsync($"api/v1/users/{email}")).ReadJsonAsync();
    }

    [Fact]
    public async Task An_administrators_cookie_alone_cannot_reset_lock_or_promote_a_person_but_with_the_pages_token_it_can()
    {
        var email = await app.CreateUserAsync(Roles.Officer);
        using var admin = await app.SignedInAsync(Users.Admin);

        await AssertRefusedForTheTokenAsync(await admin.PostAsync($"api/v1/users/{email}/password-reset", null), "password reset");
        await AssertRefusedForTheTokenAsync(await admin.PostAsync($"api/v1/users/{email}/lock", null), "lock");
        await AssertRefusedForTheTokenAsync(await admin.PutAsJsonAsync($"api/v1/users/{email}/roles", new { roles = new[] { Roles.Administrator } }), "roles");
        // Another person's token (their page, their browser) is no good either.
        using (var commander = await app.SignedInAsync(Users.Commander))
            admin.DefaultRequestHeaders.Add(Browserless.PageTokenHeader, await Browserless.PageTokenAsync(commander));
        await AssertRefusedForTheTokenAsync(await admin.PostAsync($"api/v1/users/{email}/lock", null), "lock with someone else's token");

        // Nothing changed: the person signs in with their own password, unlocked, still an officer.
        using (var person = app.Client())
            Assert.Equal(HttpStatusCode.Redirect, (await person.SignInAsync(email, AppFixture.DemoPassword)).StatusCode);
        var user = await UserAsync(email);
        Assert.False(user["lockedOut"]!.GetValue<bool>());
        Assert.Equal([Roles.Officer], user["roles"]!.AsArray().Select(r => r!.GetValue<string>()));

        // The same requests with the token the Users page gives its scripts go through.
        await admin.SendsPageTokenAsync();
        var reset = await admin.PostAsync($"api/v1/users/{email}/password-reset", null);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.True((await reset.ReadJsonAsync())["password"]!.GetValue<string>().Length >= 20);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"api/v1/users/{email}/lock", null)).StatusCode);
        Assert.True((await UserAsync(email))["lockedOut"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"api/v1/users/{email}/unlock", null)).StatusCode);
    }

    [Fact]
    public async Task A_commanders_cookie_alone_acknowledges_nothing_through_the_api_or_the_page_handler()
    {
        var (lat, lon) = Api.Place();
        var incident = await app.ReportGunshotAsync(lat, lon);
        using var commander = await app.SignedInAsync(Users.Commander);

        await AssertRefusedForTheTokenAsync(await commander.PostAsync($"api/v1/incidents/{incident}/acknowledge", null), "API acknowledge");
        await AssertRefusedForTheTokenAsync(await commander.PostAsync($"Alerts/Incidents/Details/{incident}?handler=Acknowledge", null), "page acknowledge");
        await AssertRefusedForTheTokenAsync(await commander.PostAsJsonAsync($"api/v1/incidents/{incident}/close", new { outcome = "other" }), "API close");
        using var key = app.AdminClient();
        Assert.Equal("open", (await (await key.GetAsync($"api/v1/incidents/{incident}")).ReadJsonAsync())["incident"]!["status"]!.GetValue<string>());

        await commander.SendsPageTokenAsync();
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsync($"api/v1/incidents/{incident}/acknowledge", null)).StatusCode);
        Assert.Equal("acknowledged", (await (await key.GetAsync($"api/v1/incidents/{incident}")).ReadJsonAsync())["incident"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_officers_cookie_alone_neither_moves_nor_deletes_their_shared_position()
    {
        var officer = await app.CreateUserAsync(Roles.Officer);
        using var phone = await app.SignedInAsync(officer, pageToken: true);
        var (lat, lon) = Api.Place();
        Assert.Equal(HttpStatusCode.OK, (await phone.PutAsJsonAsync("api/v1/officers/me/position", new { latitude = lat, longitude = lon })).StatusCode);

        phone.DefaultRequestHeaders.Remove(Browserless.PageTokenHeader);
        await AssertRefusedForTheTokenAsync(await phone.PutAsJsonAsync("api/v1/officers/me/position", new { latitude = lat + 1, longitude = lon }), "move");
        await AssertRefusedForTheTokenAsync(await phone.DeleteAsync("api/v1/officers/me/position"), "delete");

        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.officer_positions WHERE user_name = '{officer}'"));
        using var key = app.AdminClient();
        var shared = (await (await key.GetAsync("api/v1/officers/positions")).ReadJsonAsync()).AsArray().Single(p => p!["userName"]!.GetValue<string>() == officer)!;
        Assert.Equal(lat, shared["latitude"]!.GetValue<double>(), 9);
    }

    [Fact]
    public async Task A_malformed_form_or_token_signed_in_with_the_cookie_is_refused_with_a_400_not_a_500()
    {
        using var admin = await app.SignedInAsync(Users.Admin);
        var list = Guid.NewGuid();
        var broken = new StringContent("--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nLIC\nAB\r\n");
        broken.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=XYZ");
        await AssertRefusedForTheTokenAsync(await admin.PostAsync($"api/v1/plates/hotlists/{list}/import", broken), "truncated multipart");
        await AssertRefusedForTheTokenAsync(await admin.PostAsync("api/v1/users/x/lock",
            new StringContent("__RequestVerificationToken=%ZZ%", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded")), "broken form field");
        using var garbage = new HttpRequestMessage(HttpMethod.Post, "api/v1/users/x/lock");
        garbage.Headers.Add(RequestForgery.HeaderName, "not-a-token");
        await AssertRefusedForTheTokenAsync(await admin.SendAsync(garbage), "garbage token");
    }

    [Fact]
    public async Task Api_clients_and_devices_change_things_with_their_key_alone()
    {
        var email = await app.CreateUserAsync(Roles.Analyst);
        using var admin = app.AdminClient();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"api/v1/users/{email}/lock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"api/v1/users/{email}/unlock", null)).StatusCode);
        var (lat, lon) = Api.Place();
        var incident = await app.ReportGunshotAsync(lat, lon);   // a device key, no token
        using var commanderKey = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        Assert.Equal(HttpStatusCode.OK, (await commanderKey.PostAsync($"api/v1/incidents/{incident}/acknowledge", null)).StatusCode);
    }

    /// <summary>
    /// Every endpoint the app maps (read from its endpoint data source, so a new one is covered without editing this test), with every
    /// method that changes something, signed in as an administrator with the cookie alone: none may answer anything but the refusal
    /// for the missing token, except endpoints only devices and agency feeds may use (403 before anything runs).
    /// </summary>
    [Fact]
    public async Task No_endpoint_accepts_a_change_signed_in_with_the_cookie_alone()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var changes = endpoints.SelectMany(e => UnsafeMethods(e).Select(method => (Endpoint: e, Method: method))).ToList();
        using var admin = await app.SignedInAsync(Users.Admin);
        // Endpoints only the oversight body may use (ADR 0052) are tried by one of its people: the administrator would stop at authorization.
        using var overseer = await app.SignedInAsync(await Intelligence.IntelApi.CreateUserAsync(app, Roles.Oversight));

        var accepted = new List<string>();
        var machineOnly = 0;
        foreach (var (endpoint, method) in changes)
        {
            var url = Url(endpoint.RoutePattern);
            using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = JsonContent.Create(new { }) };
            // An address of its own per request: the public pages' rate limit (per address, before the page runs) must not answer for the
            // antiforgery check here, and there are more public pages × methods than one address's permits.
            request.Headers.Add("X-Forwarded-For", Alerts.CitizenReportKit.NewAddress());
            var oversightOnly = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).Contains(Policies.OversightBody);
            using var response = await (oversightOnly ? overseer : admin).SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.Forbidden && ForMachinesOnly(endpoint))
                machineOnly++;
            else if (response.StatusCode != HttpStatusCode.BadRequest || !body.Contains("\"The antiforgery token is missing.\"", StringComparison.Ordinal))
                accepted.Add($"{method} /{url} → {(int)response.StatusCode} {body[..Math.Min(160, body.Length)]}");
        }

        Assert.True(accepted.Count == 0, string.Join("\n", accepted));
        string[] mustBeCovered = ["api/v1/users/{email}/password-reset", "api/v1/users/{email}/lock", "api/v1/incidents/{id:guid}/acknowledge",
            "api/v1/officers/me/position", "hubs/incidents/negotiate", "hangfire/{**path}", "Alerts/Incidents/Details/{id:guid}", "Account/Logout"];
        foreach (var route in mustBeCovered)
            Assert.Contains(changes, c => string.Equals(c.Endpoint.RoutePattern.RawText?.Trim('/'), route, StringComparison.OrdinalIgnoreCase));
        Assert.True(changes.Count > 100, $"only {changes.Count} endpoint/method pairs");
        Assert.True(machineOnly > 0, "the device endpoints were not reached");
    }

    private static IEnumerable<string> UnsafeMethods(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods.Count: > 0 } methods
            ? methods.HttpMethods.Where(m => !(HttpMethods.IsGet(m) || HttpMethods.IsHead(m) || HttpMethods.IsOptions(m) || HttpMethods.IsTrace(m)))
            : ["POST", "PUT", "PATCH", "DELETE"];   // pages, the job dashboard, health: any method reaches them

    private static bool ForMachinesOnly(RouteEndpoint endpoint)
    {
        string[] machines = [SensorDeviceKinds.GunshotDevicesPolicy, SensorDeviceKinds.AcousticSensorsPolicy, SensorDeviceKinds.EnvironmentalSensorsPolicy, LightingDeviceKinds.StreetlightDevicesPolicy,
            PlatesDeviceKinds.PlateReaderDevicesPolicy, Policies.AgencyFeeds];
        var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
        return policies.Count > 0 && policies.All(p => machines.Contains(p));
    }

    /// <summary>A concrete path for a route pattern: a fresh GUID for GUID parameters, 1 for numbers, "x" otherwise.</summary>
    private static string Url(RoutePattern pattern) => string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
    {
        RoutePatternLiteralPart literal => literal.Content,
        RoutePatternSeparatorPart separator => separator.Content,
        RoutePatternParameterPart p when p.ParameterPolicies.Any(x => x.Content == "guid") => Guid.NewGuid().ToString(),
        RoutePatternParameterPart p when p.ParameterPolicies.Any(x => x.Content is "int" or "long") => "1",
        _ => "x",
    }))));

    [Fact]
    public async Task A_page_of_another_origin_cannot_open_the_live_connection_with_a_signed_in_cookie()
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = app.BaseAddress };
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(Users.Commander, AppFixture.DemoPassword)).StatusCode);
        await client.SendsPageTokenAsync();
        var own = app.BaseAddress.GetLeftPart(UriPartial.Authority);
        var socket = new UriBuilder(app.BaseAddress) { Scheme = "ws", Path = "hubs/incidents" }.Uri;

        // A WebSocket carries no token; its Origin header (which browsers always send) is what tells a hostile page from ours.
        foreach (var hostile in new[] { "https://evil.example", "http://board.other.example", own.Replace("http:", "https:", StringComparison.Ordinal) })
        {
            using var hijack = new ClientWebSocket();
            hijack.Options.Cookies = cookies;
            hijack.Options.CollectHttpResponseDetails = true;
            hijack.Options.SetRequestHeader("Origin", hostile);
            await Assert.ThrowsAsync<WebSocketException>(() => hijack.ConnectAsync(socket, CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, hijack.HttpStatusCode);
        }
        using (var ours = new ClientWebSocket())
        {
            ours.Options.Cookies = cookies;
            ours.Options.SetRequestHeader("Origin", own);
            await ours.ConnectAsync(socket, CancellationToken.None);
            Assert.Equal(WebSocketState.Open, ours.State);
            await ours.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }

        // Negotiation (a POST): refused from another origin even with a token, accepted from ours with it.
        Assert.Equal(HttpStatusCode.Forbidden, (await NegotiateAsync(client, "https://evil.example")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NegotiateAsync(client, own)).StatusCode);
        client.DefaultRequestHeaders.Remove(Browserless.PageTokenHeader);
        await AssertRefusedForTheTokenAsync(await NegotiateAsync(client, own), "negotiation without the token");
    }

    private static Task<HttpResponseMessage> NegotiateAsync(HttpClient client, string origin, Action<HttpRequestMessage>? more = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "hubs/incidents/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", origin);
        more?.Invoke(request);
        return client.SendAsync(request);
    }

    private static void AssertStrictHeaders(HttpResponseMessage response, string what)
    {
        string Header(string name) => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
            : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content) : throw new Xunit.Sdk.XunitException($"{what}: no {name} header");
        var csp = Header("Content-Security-Policy");
        Assert.True(csp == SecurityHeaders.Policy(tileOrigin: null), $"{what}: {csp}");
        foreach (var directive in new[] { "script-src 'self';", "style-src 'self';", "img-src 'self' data:;", "connect-src 'self';", "object-src 'none'",
                     "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'" })
            Assert.Contains(directive, csp);
        Assert.DoesNotContain("unsafe", csp);
        Assert.Equal("nosniff", Header("X-Content-Type-Options"));
        Assert.Equal("DENY", Header("X-Frame-Options"));
        Assert.Equal("same-origin", Header("Referrer-Policy"));
        Assert.Equal("same-origin", Header("Cross-Origin-Opener-Policy"));
        var permissions = Header("Permissions-Policy");
        Assert.Contains("geolocation=(self)", permissions);
        Assert.Contains("camera=()", permissions);
        Assert.Contains("microphone=()", permissions);
    }

    [Fact]
    public async Task Every_kind_of_response_carries_the_strict_policy_and_the_other_headers()
    {
        using var anonymous = app.Client();
        using var admin = await app.SignedInAsync(Users.Admin);
        using var key = app.AdminClient();
        var responses = new List<(string What, HttpStatusCode Expected, HttpResponseMessage Response)>
        {
            ("login page", HttpStatusCode.OK, await anonymous.GetAsync("Account/Login")),
            ("redirect to the login page", HttpStatusCode.Redirect, await anonymous.GetAsync("Admin/Devices")),
            ("page", HttpStatusCode.OK, await admin.GetAsync("Admin/Devices")),
            ("board", HttpStatusCode.OK, await admin.GetAsync("")),
            ("API", HttpStatusCode.OK, await key.GetAsync("api/v1/incidents")),
            ("API 401", HttpStatusCode.Unauthorized, await anonymous.GetAsync("api/v1/incidents")),
            ("API 404", HttpStatusCode.NotFound, await key.GetAsync($"api/v1/incidents/{Guid.NewGuid()}")),
            ("malformed JSON (the exception handler's answer)", HttpStatusCode.BadRequest,
                await key.PostAsync("api/v1/devices", new StringContent("{\"kind\":", System.Text.Encoding.UTF8, "application/json"))),
            ("refused change", HttpStatusCode.BadRequest, await admin.PostAsync("api/v1/users/x/lock", null)),
            ("our script", HttpStatusCode.OK, await anonymous.GetAsync("js/site.js")),
            ("library", HttpStatusCode.OK, await anonymous.GetAsync("lib/leaflet/leaflet.js")),
            ("style sheet", HttpStatusCode.OK, await anonymous.GetAsync("css/site.css")),
            ("unknown path", HttpStatusCode.NotFound, await admin.GetAsync("no/such/page")),
            ("error page", HttpStatusCode.OK, await anonymous.GetAsync("Error")),
            ("health", HttpStatusCode.OK, await anonymous.GetAsync("health")),
            ("public alerts page", HttpStatusCode.OK, await anonymous.GetAsync("alerts")),
            ("public CAP feed", HttpStatusCode.OK, await anonymous.GetAsync("cap/alerts.atom")),
        };
        foreach (var (what, expected, response) in responses)
        {
            Assert.True(response.StatusCode == expected, $"{what}: {(int)response.StatusCode}");
            AssertStrictHeaders(response, what);
        }
    }

    [Fact]
    public async Task Only_the_job_dashboard_and_the_api_reference_relax_the_policy_and_neither_for_scripts_of_its_own()
    {
        using var admin = await app.SignedInAsync(Users.Admin);
        foreach (var path in new[] { "hangfire", "hangfire/recurring" })
        {
            var dashboard = await admin.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
            var csp = dashboard.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("script-src 'self';", csp);
            Assert.Contains("style-src 'self' 'unsafe-inline';", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.DoesNotContain("unsafe-eval", csp);
        }

        var nonces = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var reference = await admin.GetAsync("api/docs/");
            Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
            var html = await reference.Content.ReadAsStringAsync();
            var nonce = Nonce().Match(html).Groups[1].Value;
            Assert.True(nonce.Length >= 16, html);
            var csp = reference.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains($"script-src 'self' 'nonce-{nonce}';", csp);
            Assert.DoesNotContain("unsafe-eval", csp);
            Assert.DoesNotContain("://", html);   // nothing from a CDN (fonts, scripts)
            Assert.Contains("\"telemetry\":false", html);
            nonces.Add(nonce);
        }
        Assert.NotEqual(nonces[0], nonces[1]);
    }

    [GeneratedRegex("nonce=\"([^\"]+)\"")]
    private static partial Regex Nonce();

    [Fact]
    public async Task Every_form_that_posts_carries_its_antiforgery_token_and_signing_out_ends_the_session()
    {
        using var admin = await app.SignedInAsync(Users.Admin);
        var pages = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null && e.RoutePattern.Parameters.Count == 0)
            .Select(e => e.RoutePattern.RawText!).Distinct().ToList();
        Assert.True(pages.Count > 20, string.Join(", ", pages));
        var forms = 0;
        foreach (var page in pages)
        {
            var response = await admin.GetAsync(page);
            if (response.StatusCode != HttpStatusCode.OK)
                continue;   // Logout and the like answer GET with a redirect
            foreach (Match form in Form().Matches(await response.Content.ReadAsStringAsync()))
            {
                forms++;
                Assert.True(form.Value.Contains("name=\"__RequestVerificationToken\"", StringComparison.Ordinal), $"/{page}: {form.Value[..Math.Min(200, form.Value.Length)]}");
            }
        }
        Assert.True(forms > pages.Count, $"only {forms} forms on {pages.Count} pages");   // the layout's sign-out form is on each

        using var officer = await app.SignedInAsync(Users.Officer);
        var signOut = Form().Matches(await officer.GetStringAsync("Plates/Hits")).Single(f => f.Value.Contains("action=\"/Account/Logout\"", StringComparison.Ordinal));
        var response2 = await officer.PostAsync("Account/Logout", new FormUrlEncodedContent([new("__RequestVerificationToken", Browserless.AntiforgeryToken(signOut.Value))]));
        Assert.Equal(HttpStatusCode.Redirect, response2.StatusCode);
        Assert.StartsWith("/Account/Login", response2.Headers.Location!.OriginalString);
        var after = await officer.GetAsync("Plates/Hits");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/Account/Login", after.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, (await officer.GetAsync("api/v1/incidents")).StatusCode);
    }

    [GeneratedRegex("<form\\b[^>]*\\bmethod=\"post\"[^>]*>.*?</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Form();

    private static HttpRequestMessage ThroughTheProxy(HttpMethod method, string path, string? cookie = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "rtcc.city.example");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        if (cookie is not null)
            request.Headers.Add("Cookie", cookie);
        return request;
    }

    [Fact]
    public async Task Behind_a_tls_proxy_on_loopback_cookies_are_secure_hsts_is_sent_and_the_live_connection_accepts_the_public_origin()
    {
        using var raw = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };

        // Plain http straight to the app (the test set-up switches Secure cookies off): neither Secure cookies nor HSTS.
        var direct = await raw.GetAsync("Account/Login");
        Assert.DoesNotContain("; secure", direct.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.False(direct.Headers.Contains("Strict-Transport-Security"));

        // Through the proxy (X-Forwarded-* from 127.0.0.1, a known proxy): the request is https for rtcc.city.example.
        var login = await raw.SendAsync(ThroughTheProxy(HttpMethod.Get, "Account/Login"));
        var antiforgery = login.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("max-age=", login.Headers.GetValues("Strict-Transport-Security").Single());
        var post = ThroughTheProxy(HttpMethod.Post, "Account/Login", antiforgery.Split(';')[0]);
        post.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = Users.Commander, ["Input.Password"] = AppFixture.DemoPassword,
            ["__RequestVerificationToken"] = Browserless.AntiforgeryToken(await login.Content.ReadAsStringAsync()),
        });
        var signedIn = await raw.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var session = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("safecities.auth=", StringComparison.Ordinal));
        Assert.Contains("; secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=lax", session, StringComparison.OrdinalIgnoreCase);

        // The browser's Origin is the public one; the app sees the same origin through the forwarded headers.
        var cookie = $"{antiforgery.Split(';')[0]}; {session.Split(';')[0]}";
        var page = await raw.SendAsync(ThroughTheProxy(HttpMethod.Get, "Me/Password", cookie));
        var token = Regex.Match(await page.Content.ReadAsStringAsync(), "<meta name=\"request-verification-token\" content=\"([^\"]+)\"").Groups[1].Value;
        var negotiate = ThroughTheProxy(HttpMethod.Post, "hubs/incidents/negotiate?negotiateVersion=1", cookie);
        negotiate.Headers.Add("Origin", "https://rtcc.city.example");
        negotiate.Headers.Add(RequestForgery.HeaderName, token);
        var negotiated = await raw.SendAsync(negotiate);
        Assert.True(negotiated.StatusCode == HttpStatusCode.OK, await negotiated.Content.ReadAsStringAsync());
    }
}
