using System.Text.RegularExpressions;
using SafeCities.Modules.Platform.Identity;

namespace SafeCities.Tests.Integration.Platform;

/// <summary>Two-factor sign-in the way a person does it (through the pages), and the requirement switched on for one test.</summary>
public static partial class MfaKit
{
    /// <summary>
    /// Requires a second factor of people in <paramref name="roles"/> (none given: every person's role) until disposed. The fixture runs
    /// with <c>Security:Mfa:Required=false</c>; the gate reads the options through <c>IOptionsMonitor</c> (<see cref="OptionsOverride"/>).
    /// </summary>
    public static IDisposable RequireMfa(this AppFixture app, params string[] roles) =>
        app.Override(new MfaOptions { Required = true, Roles = roles.Length == 0 ? [.. Roles.People] : roles });

    /// <summary>Sets up the authenticator at /Me/Mfa with a right code; the key (base32) and the ten recovery codes shown once.</summary>
    public static async Task<(string Key, string[] RecoveryCodes)> EnrolAsync(this HttpClient client)
    {
        var key = KeyOf(await client.GetStringAsync("Me/Mfa"));
        var done = await client.PostFormAsync("Me/Mfa?handler=Enable", [new("Code", Totp.Code(key))]);
        var codes = RecoveryCodesOf(done);
        Assert.Equal(10, codes.Length);
        return (key, codes);
    }

    public static string KeyOf(string mfaPage) => KeyShown().Match(mfaPage) is { Success: true } m
        ? m.Groups[1].Value.Replace(" ", "").ToUpperInvariant()
        : throw new InvalidOperationException("no key on the page");

    public static string[] RecoveryCodesOf(string html) => [.. RecoveryCodeShown().Matches(html).Select(m => m.Groups[1].Value)];

    /// <summary>Signs in with the password, which must lead to the second step; the step's page path and query (returnUrl kept).</summary>
    public static async Task<string> PasswordStepAsync(this HttpClient client, string email, string password = AppFixture.DemoPassword)
    {
        var first = await client.SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var next = first.Headers.Location!.OriginalString;
        Assert.StartsWith("/Account/LoginWith2fa", next);
        return next.TrimStart('/');
    }

    /// <summary>Posts a code to the second step's page (<c>Account/LoginWith2fa</c> or <c>Account/LoginWithRecoveryCode</c>).</summary>
    public static async Task<HttpResponseMessage> SecondStepAsync(this HttpClient client, string page, string field, string code)
    {
        var form = await client.GetStringAsync(page);
        return await client.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [field] = code, ["__RequestVerificationToken"] = Browserless.AntiforgeryToken(form),
        }));
    }

    /// <summary>Password, then a current authenticator code: a signed-in client.</summary>
    public static async Task<HttpClient> SignedInWithCodeAsync(this AppFixture app, string email, string key)
    {
        var client = app.Client();
        var step = await client.PasswordStepAsync(email);
        var done = await client.SecondStepAsync(step, "Code", Totp.Code(key));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        return client;
    }

    [GeneratedRegex("id=\"mfa-key\">([a-z2-7 ]+)</kbd>")]
    private static partial Regex KeyShown();

    [GeneratedRegex("<li class=\"col py-1\">([A-Z0-9-]+)</li>")]
    private static partial Regex RecoveryCodeShown();
}
