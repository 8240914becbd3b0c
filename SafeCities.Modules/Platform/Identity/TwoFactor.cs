using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using QRCoder;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform.Identity;

/// <summary><c>Security:Mfa</c>: who must sign in with a second factor (an authenticator app's 6-digit code).</summary>
internal sealed class MfaOptions
{
    public const string Section = "Security:Mfa";

    /// <summary>People in <see cref="Roles"/> must enrol before anything else. Default: on outside Development.</summary>
    public bool Required { get; set; }

    /// <summary>The roles whose people must enrol. Default (none configured): every person's role, since each of them reads criminal-justice information.</summary>
    public string[] Roles { get; set; } = [];

    /// <summary>The name authenticator apps show next to the account.</summary>
    public string Issuer { get; set; } = "SafeCities";
}

/// <summary>
/// Two-factor sign-in with ASP.NET Core Identity's authenticator (TOTP, RFC 6238) support: enrolment at <see cref="Page"/>, the second step
/// at <c>/Account/LoginWith2fa</c>, ten recovery codes, administrator reset. Whether a session's person has a second factor travels in the
/// cookie as <see cref="EnabledClaim"/> (recomputed at every security-stamp check); the sign-in requirements gate
/// (<see cref="SignInRequirements"/>) sends required people without one to <see cref="Page"/>.
/// </summary>
internal static partial class TwoFactor
{
    public const string EnabledClaim = "safecities:two_factor";
    public const string Page = SignInSteps.MfaPage;
    public const int RecoveryCodeCount = SignInSteps.RecoveryCodeCount;
    /// <summary>Identity's own store keeps the authenticator key and the recovery codes as user tokens of this login provider.</summary>
    private const string IdentityStoreProvider = "[AspNetUserStore]";

    public static IServiceCollection AddTwoFactor(this IServiceCollection services, IConfiguration config, IHostEnvironment environment)
    {
        // Read through IOptionsMonitor: a configuration reload (or a test) changes the requirement without a restart.
        services.AddOptions<MfaOptions>()
            .Configure(o => o.Required = !environment.IsDevelopment())
            .Bind(config.GetSection(MfaOptions.Section))
            .PostConfigure(o => o.Roles = o.Roles.Length == 0 ? [.. Roles.People] : [.. o.Roles.Distinct()])
            .Validate(o => o.Roles.All(Roles.People.Contains), $"{MfaOptions.Section}:Roles may name only people's roles: {string.Join(", ", Roles.People)}.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Issuer) && !o.Issuer.Contains(':'), $"{MfaOptions.Section}:Issuer must be a name without ':'.")
            .ValidateOnStart();
        // Registered after AddIdentity's TryAdd of the default factory, so this one is used (sign-in, refresh and every stamp validation).
        services.AddScoped<IUserClaimsPrincipalFactory<IdentityUser>, TwoFactorClaimsFactory>();
        services.AddScoped<SecondFactorSignIn>();
        return services;
    }

    /// <summary>A person signed in with the cookie whose role requires a second factor and who has not set one up (API keys never).</summary>
    public static bool MustEnrol(this MfaOptions options, ClaimsPrincipal user) =>
        options.Required && user.Identity?.AuthenticationType == IdentityConstants.ApplicationScheme && !user.HasClaim(EnabledClaim, "1")
        && options.Roles.Any(user.IsInRole);

    /// <summary>The shared key in groups of four, as a person types it into an authenticator app.</summary>
    public static string FormatKey(string key) => string.Join(' ', key.ToLowerInvariant().Chunk(4).Select(c => new string(c)));

    /// <summary>The Key URI Format authenticator apps read from the QR code (SHA-1, 6 digits, 30 s: what Identity verifies).</summary>
    public static string AuthenticatorUri(string issuer, string email, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(email)}?secret={key}&issuer={Uri.EscapeDataString(issuer)}&digits=6";

    /// <summary>The QR code as a PNG <c>data:</c> URI, drawn on the server (no script; allowed by <c>img-src 'self' data:</c>).</summary>
    public static string QrCodeDataUri(string text) =>
        "data:image/png;base64," + Convert.ToBase64String(PngByteQRCodeHelper.GetQRCode(text, QRCodeGenerator.ECCLevel.M, 5));

    /// <summary>The six digits as typed (spaces and hyphens dropped), or null when it is not six digits.</summary>
    public static string? AuthenticatorCode(string? typed) =>
        (typed ?? "").Replace(" ", "").Replace("-", "") is { Length: 6 } code && code.All(char.IsAsciiDigit) ? code : null;

    /// <summary>A recovery code as Identity issues it (<c>XXXXX-XXXXX</c>) from what was typed (any case, spaces, with or without the hyphen), or null.</summary>
    public static string? RecoveryCode(string? typed)
    {
        var code = (typed ?? "").Replace(" ", "").Replace("-", "").ToUpperInvariant();
        return RecoveryCodeShape().IsMatch(code) ? $"{code[..5]}-{code[5..]}" : null;
    }

    /// <summary>
    /// The person's authenticator key, made on first need. Written through the store rather than <c>ResetAuthenticatorKeyAsync</c>: a key
    /// that is not yet confirmed changes nothing about signing in, so it must not renew the security stamp (which would end the person's
    /// other sessions whenever they open the enrolment page).
    /// </summary>
    public static async Task<string> AuthenticatorKeyAsync(this UserManager<IdentityUser> users, IUserStore<IdentityUser> store, IdentityUser user,
        CancellationToken ct)
    {
        if (await users.GetAuthenticatorKeyAsync(user) is { Length: > 0 } key)
            return key;
        key = users.GenerateNewAuthenticatorKey();
        await ((IUserAuthenticatorKeyStore<IdentityUser>)store).SetAuthenticatorKeyAsync(user, key, ct);
        var saved = await users.UpdateAsync(user);
        return saved.Succeeded ? key : throw new InvalidOperationException(string.Join("; ", saved.Errors.Select(e => e.Description)));
    }

    /// <summary>
    /// Turns the second factor off and forgets the key and the recovery codes (the next enrolment gets a new key); the security stamp
    /// changes, so every open session ends. The caller audits and holds the transaction.
    /// </summary>
    public static async Task<IdentityResult> ForgetAsync(this UserManager<IdentityUser> users, IdentityUser user)
    {
        foreach (var step in new Func<Task<IdentityResult>>[]
                 {
                     () => users.SetTwoFactorEnabledAsync(user, false),
                     () => users.RemoveAuthenticationTokenAsync(user, IdentityStoreProvider, "AuthenticatorKey"),
                     () => users.RemoveAuthenticationTokenAsync(user, IdentityStoreProvider, "RecoveryCodes"),
                     () => users.UpdateSecurityStampAsync(user),
                 })
            if (await step() is { Succeeded: false } failed)
                return failed;
        return IdentityResult.Success;
    }

    /// <summary>A current code of the person's authenticator (Identity's authenticator token provider, the person's key).</summary>
    public static async Task<bool> VerifyAuthenticatorCodeAsync(this UserManager<IdentityUser> users, IdentityUser user, string? typed) =>
        AuthenticatorCode(typed) is { } code && await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code);

    public static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }

    [GeneratedRegex("^[A-Z0-9]{10}$")]
    private static partial Regex RecoveryCodeShape();
}

/// <summary>Identity's claims plus <see cref="TwoFactor.EnabledClaim"/> when the person has a second factor.</summary>
internal sealed class TwoFactorClaimsFactory(UserManager<IdentityUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<IdentityUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(IdentityUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (await UserManager.GetTwoFactorEnabledAsync(user))
            identity.AddClaim(new Claim(TwoFactor.EnabledClaim, "1"));
        return identity;
    }
}
