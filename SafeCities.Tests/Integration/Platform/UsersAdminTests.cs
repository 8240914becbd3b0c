using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Tests.Integration.Intelligence;

namespace SafeCities.Tests.Integration.Platform;

/// <summary>
/// Administrators manage people's accounts through the users API and the Users page: one-time passwords, roles, lock/unlock; changes reach
/// the person's open session at once, are audited without passwords, and can never leave the city without an unlocked administrator.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class UsersAdminTests(AppFixture app)
{
    private static string NewEmail() => $"{IntelApi.Unique("person")}@city.test";

    private Task<string> CreateAsync(string email, string role, string? district = null, Guid? agencyId = null) =>
        app.CreateAccountAsync(email, role, district, agencyId);

    private async Task<HttpClient> SignedInAsync(string email, string password)
    {
        var client = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, password)).StatusCode);
        return client;
    }

    /// <summary>A new account whose person has signed in once and chosen their own password (returned).</summary>
    private async Task<string> CreateActiveAsync(string email, string role)
    {
        var oneTime = await CreateAsync(email, role);
        using var first = await SignedInAsync(email, oneTime);
        return await first.ReplaceOneTimePasswordAsync(oneTime);
    }

    private async Task<JsonNode> UserAsync(string email)
    {
        using var admin = app.AdminClient();
        var all = (await (await admin.GetAsync("api/v1/users")).ReadJsonAsync()).AsArray();
        return all.Single(u => u!["email"]!.GetValue<string>() == email)!;
    }

    [Theory]
    [InlineData(Roles.Oversight, "/Oversight")]
    [InlineData(Roles.ProbationOfficer, "/Intelligence/Search")]
    [InlineData(Roles.Commander, "/")]
    public async Task An_admin_creates_a_user_who_signs_in_with_the_one_time_password_and_lands_on_their_start_page(string role, string home)
    {
        var (agencyId, _) = await app.RegisterAgencyAsync(AgencyKinds.Supervision);
        var email = NewEmail();

        var password = await CreateAsync(email, role, " 7D ", agencyId);

        Assert.True(password.Length >= 20);
        using var client = app.Client();
        var signIn = await client.SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(home, signIn.Headers.Location!.OriginalString);
        var listed = await UserAsync(email);
        Assert.Equal([role], listed["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("7D", listed["district"]!.GetValue<string>());
        Assert.Equal(agencyId, listed["agencyId"]!.GetValue<Guid>());
        Assert.StartsWith($"{AgencyKinds.Supervision} agency", listed["agencyName"]!.GetValue<string>());
        Assert.False(listed["lockedOut"]!.GetValue<bool>());
        using var admin = app.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"api/v1/users/{email}")).StatusCode);
    }

    [Fact]
    public async Task Bad_input_is_400_per_field_a_duplicate_409_and_an_unknown_user_404()
    {
        using var admin = app.AdminClient();
        var bad = await admin.PostAsJsonAsync("api/v1/users", new { email = "not-an-email", role = "Sheriff", district = new string('x', 41), agencyId = Guid.NewGuid() });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var errors = (await bad.ReadJsonAsync())["errors"]!.AsObject();
        Assert.Equal(["agencyId", "district", "email", "role"], errors.Select(e => e.Key).Order());

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("api/v1/users", new { role = Roles.Officer })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("api/v1/users", JsonContent.Create("nonsense"))).StatusCode);

        var email = NewEmail();
        await CreateAsync(email, Roles.Officer);
        var duplicate = await admin.PostAsJsonAsync("api/v1/users", new { email = email.ToUpperInvariant(), role = Roles.Analyst });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Contains("already has an account", await duplicate.Content.ReadAsStringAsync());

        var roles = await admin.PutAsJsonAsync($"api/v1/users/{email}/roles", new { roles = new[] { Roles.Officer, "Sheriff" } });
        Assert.Equal(HttpStatusCode.BadRequest, roles.StatusCode);
        Assert.NotNull((await roles.ReadJsonAsync())["errors"]!["roles"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"api/v1/users/{email}/roles", new { roles = Array.Empty<string>() })).StatusCode);

        var nobody = NewEmail();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync($"api/v1/users/{nobody}/roles", new { roles = new[] { Roles.Officer } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"api/v1/users/{nobody}/password-reset", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"api/v1/users/{nobody}/lock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"api/v1/users/{nobody}/unlock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"api/v1/users/{nobody}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync($"api/v1/users/{nobody}/district", new { district = "1D" })).StatusCode);
    }

    [Fact]
    public async Task A_role_change_ends_the_open_session_and_the_next_sign_in_has_the_new_role()
    {
        var email = NewEmail();
        var password = await CreateActiveAsync(email, Roles.Analyst);
        using var session = await SignedInAsync(email, password);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync($"api/v1/plates/search?plate=QX*&{Stated.Query}&purpose=roles-test")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("api/v1/audit")).StatusCode);

        using var admin = app.AdminClient();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"api/v1/users/{email}/roles", new { roles = new[] { Roles.Oversight } })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync($"api/v1/plates/search?plate=QX*&{Stated.Query}&purpose=roles-test")).StatusCode);
        using var again = await SignedInAsync(email, password);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("api/v1/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await again.GetAsync($"api/v1/plates/search?plate=QX*&{Stated.Query}&purpose=roles-test")).StatusCode);
        Assert.Equal([Roles.Oversight], (await UserAsync(email))["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task Lock_ends_the_session_and_refuses_sign_in_unlock_restores_it_and_a_reset_password_replaces_the_old_one()
    {
        var email = NewEmail();
        var password = await CreateActiveAsync(email, Roles.Officer);
        using var session = await SignedInAsync(email, password);
        using var admin = app.AdminClient();

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"api/v1/users/{email}/lock", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("api/v1/incidents")).StatusCode);
        using var client = app.Client();
        var refused = await client.SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("locked", await refused.Content.ReadAsStringAsync());
        Assert.True((await UserAsync(email))["lockedOut"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"api/v1/users/{email}/unlock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/incidents")).StatusCode);

        var reset = await admin.PostAsync($"api/v1/users/{email}/password-reset", null);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var newPassword = (await reset.ReadJsonAsync())["password"]!.GetValue<string>();
        Assert.NotEqual(password, newPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/v1/incidents")).StatusCode);
        using var fresh = app.Client();
        Assert.Equal(HttpStatusCode.OK, (await fresh.SignInAsync(email, password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await fresh.SignInAsync(email, newPassword)).StatusCode);
    }

    [Fact]
    public async Task An_admin_cannot_lock_or_demote_themselves_nor_the_last_unlocked_administrator()
    {
        var email = NewEmail();
        var password = await CreateActiveAsync(email, Roles.Administrator);
        using var self = await (await SignedInAsync(email, password)).SendsPageTokenAsync();

        var lockSelf = await self.PostAsync($"api/v1/users/{email}/lock", null);
        Assert.Equal(HttpStatusCode.Conflict, lockSelf.StatusCode);
        Assert.Contains("yourself", await lockSelf.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await self.PutAsJsonAsync($"api/v1/users/{email}/roles", new { roles = new[] { Roles.Commander } })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent,
            (await self.PutAsJsonAsync($"api/v1/users/{email}/roles", new { roles = new[] { Roles.Administrator, Roles.Commander } })).StatusCode);

        // Every other administrator locked for a moment (tests of this collection run one at a time): this one is the last.
        var others = await SetOtherAdministratorsLockedAsync(email, null);
        try
        {
            using var admin = app.AdminClient();   // the bootstrap API client: not a person, so only the last-administrator rule applies
            var lockLast = await admin.PostAsync($"api/v1/users/{email}/lock", null);
            Assert.Equal(HttpStatusCode.Conflict, lockLast.StatusCode);
            Assert.Contains("last unlocked administrator", await lockLast.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Conflict, (await admin.PutAsJsonAsync($"api/v1/users/{email}/roles", new { roles = new[] { Roles.Officer } })).StatusCode);
        }
        finally
        {
            await SetOtherAdministratorsLockedAsync(email, others);
        }
        Assert.Contains(Roles.Administrator, (await UserAsync(email))["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.False((await UserAsync(email))["lockedOut"]!.GetValue<bool>());

        using var another = app.AdminClient();
        Assert.Equal(HttpStatusCode.NoContent, (await another.PostAsync($"api/v1/users/{email}/lock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await self.GetAsync("api/v1/users")).StatusCode);
    }

    /// <summary>Locks every unlocked administrator but <paramref name="keep"/> (returns who), or unlocks <paramref name="unlock"/> again.</summary>
    private Task<List<string>> SetOtherAdministratorsLockedAsync(string keep, List<string>? unlock) => app.InScopeAsync(async sp =>
    {
        var users = sp.GetRequiredService<UserManager<IdentityUser>>();
        var changed = new List<string>();
        foreach (var admin in await users.GetUsersInRoleAsync(Roles.Administrator))
        {
            if (unlock is not null ? !unlock.Contains(admin.Email!) : admin.Email == keep || await users.IsLockedOutAsync(admin))
                continue;
            Assert.True((await users.SetLockoutEndDateAsync(admin, unlock is null ? DateTimeOffset.MaxValue : null)).Succeeded);
            changed.Add(admin.Email!);
        }
        return changed;
    });

    [Fact]
    public async Task Only_administrators_manage_users()
    {
        var email = NewEmail();
        await CreateAsync(email, Roles.Officer);
        using var officer = await app.SignedInAsync(Users.Officer);
        using var commanderKey = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        foreach (var client in new[] { officer, commanderKey })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("api/v1/users")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("api/v1/users", new { email = NewEmail(), role = Roles.Administrator })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync($"api/v1/users/{email}/roles", new { roles = new[] { Roles.Administrator } })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"api/v1/users/{email}/password-reset", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"api/v1/users/{email}/lock", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"api/v1/users/{email}/unlock", null)).StatusCode);
        }
        Assert.StartsWith("/Account/AccessDenied", (await officer.GetAsync("Admin/Users")).Headers.Location!.PathAndQuery);
        Assert.Equal([Roles.Officer], (await UserAsync(email))["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task Every_change_is_audited_with_the_administrator_and_never_the_password()
    {
        var email = NewEmail();
        var passwords = new List<string> { await CreateAsync(email, Roles.Officer, "3D") };
        using var admin = app.AdminClient();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"api/v1/users/{email}/roles", new { roles = new[] { Roles.Commander, Roles.Analyst } })).StatusCode);
        passwords.Add((await (await admin.PostAsync($"api/v1/users/{email}/password-reset", null)).ReadJsonAsync())["password"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"api/v1/users/{email}/lock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"api/v1/users/{email}/unlock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"api/v1/users/{email}/agency", new { agencyId = (Guid?)null })).StatusCode);

        foreach (var action in new[] { "user-create", "user-roles", "user-password-reset", "user-lock", "user-unlock", "set-user-agency" })
            Assert.Equal(1, await app.CountAsync($"""
                SELECT count(*) FROM audit.entries WHERE module = 'Platform' AND action = '{action}' AND details->>'email' = '{email}'
                  AND actor = 'client:Bootstrap administrator'
                """));
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM audit.entries WHERE action = 'user-roles' AND details->>'email' = '{email}'
              AND details->'before' = '["Officer"]'::jsonb AND details->'roles' = '["Analyst","Commander"]'::jsonb
            """));
        foreach (var password in passwords)
            Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE details::text LIKE '%{password}%'"));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE details->>'email' = '{email}' AND details::text ILIKE '%password\"%'"));
    }

    [Fact]
    public async Task The_users_page_creates_a_user_shows_the_password_once_and_refuses_locking_yourself()
    {
        using var admin = await app.SignedInAsync(Users.Admin);
        var list = await admin.GetStringAsync("Admin/Users");
        Assert.Contains("table-responsive", list);
        Assert.Contains(Users.Officer, list);
        var email = NewEmail();

        var created = await admin.PostFormAsync("Admin/Users?handler=Create", new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.Role"] = Roles.Judge, ["Input.District"] = "", ["Input.AgencyId"] = "",
        });

        var password = OneTimePassword().Match(created).Groups[1].Value;
        Assert.StartsWith("Sc-", password);
        Assert.DoesNotContain(password, await admin.GetStringAsync("Admin/Users"));
        using (var judge = app.Client())
        {
            var signIn = await judge.SignInAsync(email, password);
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            Assert.Equal("/Intelligence/Search", signIn.Headers.Location!.OriginalString);
        }

        var invalid = await admin.PostFormAsync("Admin/Users?handler=Create", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Role"] = Roles.Judge });
        Assert.Contains("already has an account", invalid);
        Assert.DoesNotMatch(OneTimePassword(), invalid);

        var edit = await admin.GetStringAsync($"Admin/Users?edit={Uri.EscapeDataString(email)}");
        Assert.Contains("id=\"edit-user\"", edit);
        var roles = await admin.PostFormAsync($"Admin/Users?handler=Roles&email={Uri.EscapeDataString(email)}",
            [new("roles", Roles.Judge), new("roles", Roles.ProbationOfficer)]);
        Assert.DoesNotContain("validation-summary-errors", roles);
        await admin.PostFormAsync($"Admin/Users?handler=District&email={Uri.EscapeDataString(email)}", new Dictionary<string, string> { ["district"] = "6D" });
        var listed = await UserAsync(email);
        Assert.Equal([Roles.Judge, Roles.ProbationOfficer], listed["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("6D", listed["district"]!.GetValue<string>());

        var reset = await admin.PostFormAsync($"Admin/Users?handler=ResetPassword&email={Uri.EscapeDataString(email)}", []);
        Assert.Matches(OneTimePassword(), reset);

        var lockSelf = await admin.PostFormAsync($"Admin/Users?handler=Lock&email={Uri.EscapeDataString(Users.Admin)}", []);
        Assert.Contains("You cannot lock out yourself", lockSelf);
        Assert.False((await UserAsync(Users.Admin))["lockedOut"]!.GetValue<bool>());
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'user-create' AND actor = '{Users.Admin}' AND details->>'email' = '{email}'"));
    }

    [GeneratedRegex("<code class=\"d-block mt-1 user-select-all\">(Sc-[^<]+)</code>")]
    private static partial Regex OneTimePassword();
}
