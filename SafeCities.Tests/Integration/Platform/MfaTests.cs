using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using SafeCities.Tests.Integration.Intelligence;
using SafeCities.Modules.Platform.Identity;

namespace SafeCities.Tests.Integration.Platform;

/// <summary>
/// Two-factor sign-in (required by the CJIS Security Policy): enrolment with an authenticator app, the second step after the password, recovery
/// codes, lockout, the requirement for people's roles, the administrator's reset, and the audit trail, which never holds a code or a key.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class MfaTests(AppFixture app)
{
    private async Task<(string Email, HttpClient Client)> SignedInPersonAsync(string role)
    {
        var email = await app.CreateUserAsync(role);
        return (email, await app.SignedInAsync(email));
    }

    private Task<long> AuditCountAsync(string email, string action, string where = "true") =>
        app.CountAsync($"SELECT count(*) FROM audit.entries WHERE actor = '{email}' AND action = '{action}' AND module = 'Platform' AND ({where})");

    private Task<long> TwoFactorEnabledAsync(string email) =>
        app.CountAsync($"SELECT count(*) FROM platform.\"AspNetUsers\" WHERE normalized_email = upper('{email}') AND two_factor_enabled");

    [Fact]
    public async Task Enrolment_refuses_a_wrong_code_accepts_the_right_one_and_shows_ten_recovery_codes_once()
    {
        var (email, client) = await SignedInPersonAsync(Roles.Officer);
        using var _ = client;
        var page = await client.GetStringAsync("Me/Mfa");
        var key = MfaKit.KeyOf(page);
        Assert.Equal(32, key.Length);   // 160 bits, base32
        Assert.Equal($"otpauth://totp/SafeCities:{Uri.EscapeDataString(email)}?secret={key}&issuer=SafeCities&digits=6",
            WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, "href=\"(otpauth:[^\"]+)\"").Groups[1].Value));
        var png = Convert.FromBase64String(WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, "src=\"data:image/png;base64,([^\"]+)\"").Groups[1].Value));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        // The page works under a strict CSP (script-src 'self', no inline style): no style attribute, no script that is not a file. (The
        // validation-summary tag helper's empty placeholder is framework markup, the same on every form page, and shows nothing either way.)
        Assert.DoesNotContain(" style=", page.Replace("<li style=\"display:none\"></li>", ""));
        Assert.Empty(System.Text.RegularExpressions.Regex.Matches(page, "<script(?![^>]*(src=|type=\"application/json\"))[^>]*>"));

        var wrong = await client.PostFormAsync("Me/Mfa?handler=Enable", [new("Code", Totp.WrongCode(key))]);
        Assert.Contains("That code is not right", wrong);
        Assert.Empty(MfaKit.RecoveryCodesOf(wrong));
        Assert.Equal(0, await TwoFactorEnabledAsync(email));
        Assert.Equal(key, MfaKit.KeyOf(wrong));   // same key: the person can try again with the app they just set up

        var done = await client.PostFormAsync("Me/Mfa?handler=Enable", [new("Code", Totp.Code(key))]);
        var codes = MfaKit.RecoveryCodesOf(done);
        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[A-Z0-9]{5}-[A-Z0-9]{5}$", c));
        Assert.Contains("id=\"mfa-status\">on<", done);
        Assert.Equal(1, await TwoFactorEnabledAsync(email));
        // This session proved the new factor and carries on (the stamp is checked on every request here); the codes are not shown again.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/incidents")).StatusCode);
        var later = await client.GetStringAsync("Me/Mfa");
        Assert.Empty(MfaKit.RecoveryCodesOf(later));
        Assert.DoesNotContain("mfa-key", later);
        Assert.Contains("<strong>10</strong> of 10 recovery codes left", later);
        Assert.Equal(1, await AuditCountAsync(email, "mfa-enrol", $"details::text NOT LIKE '%{key}%' AND details::text NOT LIKE '%{codes[0]}%'"));
    }

    [Fact]
    public async Task The_password_alone_gives_no_session_the_code_does_and_keeps_the_start_page()
    {
        var (email, first) = await SignedInPersonAsync(Roles.ProbationOfficer);
        var (key, _) = await first.EnrolAsync();
        first.Dispose();
        using var client = app.Client();

        var step = await client.PasswordStepAsync(email);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/v1/incidents")).StatusCode);
        Assert.Contains("/Account/Login", (await client.GetAsync("Intelligence/Search")).Headers.Location!.OriginalString);
        var wrong = await client.SecondStepAsync(step, "Code", Totp.WrongCode(key));
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("That code is not right", await wrong.Content.ReadAsStringAsync());
        var notDigits = await client.SecondStepAsync(step, "Code", "12ab56");
        Assert.Contains("Enter the 6-digit code", await notDigits.Content.ReadAsStringAsync());
        var right = await client.SecondStepAsync(step, "Code", Totp.Code(key)[..3] + " " + Totp.Code(key)[3..]);   // as a phone groups it
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/Intelligence/Search", right.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("Intelligence/Search")).StatusCode);

        // A page asked for before signing in is where the person lands after both steps.
        using var deepLink = app.Client();
        var login = await deepLink.GetAsync("Intelligence/Search?q=x");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var form = await deepLink.GetStringAsync(login.Headers.Location!.PathAndQuery.TrimStart('/'));
        var password = await deepLink.PostAsync(login.Headers.Location!.PathAndQuery.TrimStart('/'), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.Password"] = AppFixture.DemoPassword, ["__RequestVerificationToken"] = Browserless.AntiforgeryToken(form),
        }));
        Assert.Equal("/Account/LoginWith2fa?returnUrl=%2FIntelligence%2FSearch%3Fq%3Dx", password.Headers.Location!.OriginalString);
        var landed = await deepLink.SecondStepAsync(password.Headers.Location!.OriginalString.TrimStart('/'), "Code", Totp.Code(key));
        Assert.Equal("/Intelligence/Search?q=x", landed.Headers.Location!.OriginalString);

        Assert.Equal(2, await AuditCountAsync(email, "mfa-sign-in", "details->>'method' = 'authenticator'"));
        Assert.Equal(1, await AuditCountAsync(email, "mfa-sign-in-failed", "details->>'method' = 'authenticator' AND NOT (details->>'lockedOut')::boolean"));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE actor = '{email}' AND details::text LIKE '%{key}%'"));
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_account_as_wrong_passwords_do_whether_authenticator_or_recovery_codes()
    {
        var (email, first) = await SignedInPersonAsync(Roles.Analyst);
        var (key, recovery) = await first.EnrolAsync();
        first.Dispose();
        using var client = app.Client();
        var step = await client.PasswordStepAsync(email);

        for (var i = 0; i < 3; i++)
            Assert.Contains("That code is not right", await (await client.SecondStepAsync(step, "Code", Totp.WrongCode(key))).Content.ReadAsStringAsync());
        var recoveryPage = step.Replace("LoginWith2fa", "LoginWithRecoveryCode");
        Assert.Contains("not right", await (await client.SecondStepAsync(recoveryPage, "RecoveryCode", "AAAAA-AAAAA")).Content.ReadAsStringAsync());
        var fifth = await (await client.SecondStepAsync(recoveryPage, "RecoveryCode", "BBBBB-BBBBB")).Content.ReadAsStringAsync();

        Assert.Contains("This account is locked", fifth);
        var locked = await client.SecondStepAsync(step, "Code", Totp.Code(key));   // the right code no longer helps
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("This account is locked", await locked.Content.ReadAsStringAsync());
        Assert.Contains("This account is locked", await (await client.SecondStepAsync(recoveryPage, "RecoveryCode", recovery[0])).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/v1/incidents")).StatusCode);
        using var again = app.Client();
        Assert.Contains("locked", await (await again.SignInAsync(email, AppFixture.DemoPassword)).Content.ReadAsStringAsync());
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM platform."AspNetUsers" WHERE normalized_email = upper('{email}') AND lockout_end > now() + interval '10 minutes'
            """));
        Assert.True(await AuditCountAsync(email, "mfa-sign-in-failed", "(details->>'lockedOut')::boolean") >= 1);
        Assert.Equal(0, await AuditCountAsync(email, "mfa-recovery-code-sign-in"));   // the recovery code was refused, not spent
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once_only_and_four_wrong_ones_do_not_lock()
    {
        var (email, first) = await SignedInPersonAsync(Roles.Commander);
        var (key, recovery) = await first.EnrolAsync();
        first.Dispose();

        using var client = app.Client();
        var recoveryPage = (await client.PasswordStepAsync(email)).Replace("LoginWith2fa", "LoginWithRecoveryCode");
        for (var i = 0; i < 4; i++)
            Assert.Contains("not right", await (await client.SecondStepAsync(recoveryPage, "RecoveryCode", $"WRONG-0000{i}")).Content.ReadAsStringAsync());
        var typed = recovery[3].Replace("-", " ").ToLowerInvariant();   // read off paper: any case, a space for the hyphen
        var used = await client.SecondStepAsync(recoveryPage, "RecoveryCode", typed);
        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Equal("/", used.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/incidents")).StatusCode);
        Assert.Contains("<strong>9</strong> of 10 recovery codes left", await client.GetStringAsync("Me/Mfa"));

        using var second = app.Client();
        var again = (await second.PasswordStepAsync(email)).Replace("LoginWith2fa", "LoginWithRecoveryCode");
        var reused = await second.SecondStepAsync(again, "RecoveryCode", recovery[3]);
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        Assert.Contains("not right, or it was used already", await reused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await second.SecondStepAsync(again, "RecoveryCode", recovery[4])).StatusCode);

        Assert.Equal(1, await AuditCountAsync(email, "mfa-recovery-code-sign-in", "(details->>'recoveryCodesLeft')::int = 9"));
        Assert.Equal(1, await AuditCountAsync(email, "mfa-recovery-code-sign-in", "(details->>'recoveryCodesLeft')::int = 8"));
        Assert.Equal(5, await AuditCountAsync(email, "mfa-sign-in-failed", "details->>'method' = 'recovery-code'"));
        Assert.Equal(0, await app.CountAsync($"""
            SELECT count(*) FROM audit.entries WHERE actor = '{email}' AND (details::text LIKE '%{recovery[3]}%' OR details::text LIKE '%{recovery[4]}%' OR details::text LIKE '%{key}%')
            """));
    }

    [Fact]
    public async Task New_recovery_codes_need_a_current_code_and_replace_the_old_ones()
    {
        var (email, client) = await SignedInPersonAsync(Roles.Judge);
        using var _ = client;
        var (key, old) = await client.EnrolAsync();

        var refused = await client.PostFormAsync("Me/Mfa?handler=RecoveryCodes", [new("Code", Totp.WrongCode(key))]);
        Assert.Contains("That code is not right", refused);
        Assert.Empty(MfaKit.RecoveryCodesOf(refused));
        var fresh = MfaKit.RecoveryCodesOf(await client.PostFormAsync("Me/Mfa?handler=RecoveryCodes", [new("Code", Totp.Code(key))]));
        Assert.Equal(10, fresh.Length);
        Assert.Empty(fresh.Intersect(old));

        using var other = app.Client();
        var recoveryPage = (await other.PasswordStepAsync(email)).Replace("LoginWith2fa", "LoginWithRecoveryCode");
        Assert.Equal(HttpStatusCode.OK, (await other.SecondStepAsync(recoveryPage, "RecoveryCode", old[0])).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await other.SecondStepAsync(recoveryPage, "RecoveryCode", fresh[0])).StatusCode);
        Assert.Equal(1, await AuditCountAsync(email, "mfa-recovery-codes", $"details::text NOT LIKE '%{fresh[1]}%'"));
    }

    [Fact]
    public async Task A_required_person_without_a_second_factor_is_sent_to_enrol_while_the_api_and_hub_refuse()
    {
        var email = await app.CreateUserAsync(Roles.Analyst);
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies }) { BaseAddress = app.BaseAddress };
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, AppFixture.DemoPassword)).StatusCode);
        var analystKey = await app.CreateClientKeyAsync(Roles.Analyst);
        using (app.RequireMfa())
        {
            var page = await client.GetAsync("Plates/Search?plate=AB*");
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Equal("/Me/Mfa?returnUrl=%2FPlates%2FSearch%3Fplate%3DAB%2A", page.Headers.Location!.OriginalString);
            var api = await client.GetAsync("api/v1/incidents");
            Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
            Assert.Equal("Set up two-factor sign-in first.", (await api.ReadJsonAsync())["title"]!.GetValue<string>());
            var hub = await Assert.ThrowsAsync<HttpRequestException>(() => StartHubAsync(cookies));
            Assert.Equal(HttpStatusCode.Forbidden, hub.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("Transparency")).StatusCode);
            var enrol = await client.GetStringAsync("Me/Mfa?returnUrl=%2FPlates%2FSearch");
            Assert.Contains("id=\"mfa-required\"", enrol);
            // An API client with the same role is a machine, not a person: it has no second factor to set up.
            using (var machine = app.Client(analystKey))
                Assert.Equal(HttpStatusCode.OK, (await machine.GetAsync("api/v1/incidents")).StatusCode);
            // A role outside Security:Mfa:Roles is not held back.
            using (app.RequireMfa(Roles.Administrator, Roles.Officer))
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/incidents")).StatusCode);

            var key = MfaKit.KeyOf(enrol);
            var done = await client.PostFormAsync("Me/Mfa?handler=Enable", [new("Code", Totp.Code(key)), new("ReturnUrl", "/Plates/Search")]);
            Assert.Contains("href=\"/Plates/Search\" id=\"mfa-continue\"", done);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("Plates/Search")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/incidents")).StatusCode);
            await using var connected = await StartHubAsync(cookies, await Browserless.PageTokenAsync(client));
            Assert.Equal(HubConnectionState.Connected, connected.State);
        }
        Assert.Equal(1, await TwoFactorEnabledAsync(email));
    }

    [Fact]
    public async Task A_new_administrator_from_create_admin_replaces_the_one_time_password_then_enrols()
    {
        var email = $"{IntelApi.Unique("chief")}@city.test".ToLowerInvariant();
        var oneTime = await app.InScopeAsync(sp => sp.GetRequiredService<IdentitySeeder>().CreateAdministratorAsync(email));
        using var client = app.Client();
        using (app.RequireMfa())
        {
            Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, oneTime)).StatusCode);
            Assert.StartsWith("/Me/Password", (await client.GetAsync("Admin/Users")).Headers.Location!.OriginalString);
            Assert.StartsWith("/Me/Password", (await client.GetAsync("Me/Mfa")).Headers.Location!.OriginalString);   // first things first
            Assert.Equal("Change your one-time password first.", (await (await client.GetAsync("api/v1/users")).ReadJsonAsync())["title"]!.GetValue<string>());

            var own = await client.ReplaceOneTimePasswordAsync(oneTime);

            Assert.Equal("/Me/Mfa?returnUrl=%2FAdmin%2FUsers", (await client.GetAsync("Admin/Users")).Headers.Location!.OriginalString);
            Assert.Equal("Set up two-factor sign-in first.", (await (await client.GetAsync("api/v1/users")).ReadJsonAsync())["title"]!.GetValue<string>());
            var (key, _) = await client.EnrolAsync();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("Admin/Users")).StatusCode);

            using var tomorrow = app.Client();
            var step = await tomorrow.PasswordStepAsync(email, own);
            Assert.Equal("/", (await tomorrow.SecondStepAsync(step, "Code", Totp.Code(key))).Headers.Location!.OriginalString);
            Assert.Equal(HttpStatusCode.OK, (await tomorrow.GetAsync("Admin/Users")).StatusCode);
        }
    }

    [Fact]
    public async Task An_administrator_reset_ends_the_persons_sessions_forgets_the_key_and_forces_a_new_enrolment()
    {
        var (email, client) = await SignedInPersonAsync(Roles.Officer);
        using var _ = client;
        var (oldKey, oldCodes) = await client.EnrolAsync();
        using var admin = app.AdminClient();
        Assert.True((await (await admin.GetAsync($"api/v1/users/{email}")).ReadJsonAsync())["mfaEnabled"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"api/v1/users/{email}/mfa-reset", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/v1/incidents")).StatusCode);   // the open session ended
        Assert.False((await (await admin.GetAsync($"api/v1/users/{email}")).ReadJsonAsync())["mfaEnabled"]!.GetValue<bool>());
        Assert.Equal(0, await app.CountAsync($"""
            SELECT count(*) FROM platform."AspNetUserTokens" t JOIN platform."AspNetUsers" u ON u.id = t.user_id WHERE u.normalized_email = upper('{email}')
            """));
        using (app.RequireMfa())
        {
            using var next = app.Client();
            Assert.Equal(HttpStatusCode.Redirect, (await next.SignInAsync(email, AppFixture.DemoPassword)).StatusCode);   // no second step now
            Assert.StartsWith("/Me/Mfa", (await next.GetAsync("")).Headers.Location!.OriginalString);
            var newKey = MfaKit.KeyOf(await next.GetStringAsync("Me/Mfa"));
            Assert.NotEqual(oldKey, newKey);
            Assert.Contains("That code is not right", await next.PostFormAsync("Me/Mfa?handler=Enable", [new("Code", Totp.Code(oldKey))]));
            var (_, newCodes) = await next.EnrolAsync();
            Assert.Empty(newCodes.Intersect(oldCodes));
            Assert.Equal(HttpStatusCode.OK, (await next.GetAsync("api/v1/incidents")).StatusCode);
        }
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM audit.entries WHERE action = 'user-mfa-reset' AND details->>'email' = '{email}' AND (details->>'wasEnabled')::boolean
              AND details::text NOT LIKE '%{oldKey}%'
            """));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("api/v1/users/nobody-here@city.test/mfa-reset", null)).StatusCode);
    }

    [Fact]
    public async Task The_users_page_shows_each_persons_second_factor_and_resets_it_but_not_the_administrators_own()
    {
        var (person, personClient) = await SignedInPersonAsync(Roles.Officer);
        await personClient.EnrolAsync();
        personClient.Dispose();
        var (adminEmail, adminClient) = await SignedInPersonAsync(Roles.Administrator);
        using var _ = adminClient;
        await adminClient.EnrolAsync();

        var edit = await adminClient.GetStringAsync($"Admin/Users?edit={person}");
        Assert.Contains("two-factor on", edit);
        Assert.Contains($"<td data-label=\"Email\" class=\"text-break\">{person}</td>", edit);
        var reset = await adminClient.PostFormAsync($"Admin/Users?handler=ResetMfa&email={person}", []);
        Assert.Contains("two-factor off", reset);
        Assert.Equal(0, await TwoFactorEnabledAsync(person));

        var self = await adminClient.PostFormAsync($"Admin/Users?handler=ResetMfa&email={adminEmail}", []);
        Assert.Contains("You cannot reset your own two-factor sign-in", self);
        Assert.Equal(1, await TwoFactorEnabledAsync(adminEmail));
        Assert.Equal(1, await AuditCountAsync(adminEmail, "user-mfa-reset", $"details->>'email' = '{person}'"));
        Assert.Equal(0, await AuditCountAsync(adminEmail, "user-mfa-reset", $"details->>'email' = '{adminEmail}'"));
    }

    [Theory]
    [InlineData(Roles.Commander)]
    [InlineData(Roles.Officer)]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.Oversight)]
    public async Task Only_administrators_may_reset_a_second_factor(string role)
    {
        var (email, person) = await SignedInPersonAsync(Roles.Officer);
        await person.EnrolAsync();
        person.Dispose();
        using var notAdmin = app.Client(await app.CreateClientKeyAsync(role));
        using var anonymous = app.Client();

        Assert.Equal(HttpStatusCode.Forbidden, (await notAdmin.PostAsync($"api/v1/users/{email}/mfa-reset", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"api/v1/users/{email}/mfa-reset", null)).StatusCode);
        Assert.Equal(1, await TwoFactorEnabledAsync(email));
    }

    [Fact]
    public async Task The_second_step_without_a_right_password_first_sends_back_to_sign_in()
    {
        using var client = app.Client();
        var get = await client.GetAsync("Account/LoginWith2fa");
        Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
        Assert.StartsWith("/Account/Login", get.Headers.Location!.OriginalString);
        Assert.StartsWith("/Account/Login", (await client.GetAsync("Account/LoginWithRecoveryCode")).Headers.Location!.OriginalString);
    }

    /// <summary>Connects to the hub with the session cookie; negotiation is a POST, so a signed-in page's token goes with it when given (as site.js sends it).</summary>
    private async Task<HubConnection> StartHubAsync(CookieContainer cookies, string? pageToken = null)
    {
        var hub = new HubConnectionBuilder().WithUrl(new Uri(app.BaseAddress, "hubs/incidents"), (HttpConnectionOptions o) =>
        {
            o.Cookies = cookies;
            if (pageToken is not null)
                o.Headers[Browserless.PageTokenHeader] = pageToken;
        }).Build();
        try
        {
            await hub.StartAsync();
            return hub;
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
    }
}
