using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Web.Pages.Account;
using SafeCities.Web.Platform;
using SafeCities.Web.Platform.Identity;

namespace SafeCities.Web.Pages.Me;

/// <summary>
/// A person sets up two-factor sign-in: the shared key (grouped for typing, a QR code, a link that opens the authenticator app on a phone),
/// confirmed with a current code; then ten recovery codes, shown once. Later: the status, and new recovery codes (again with a current code,
/// so a stolen session cannot mint a lasting second factor). Enrolment and new codes are audited, never with a code or the key.
/// </summary>
internal sealed class MfaModel(UserManager<IdentityUser> users, IUserStore<IdentityUser> store, SignInManager<IdentityUser> signIn, PlatformDbContext db,
    TimeProvider clock, IOptionsMonitor<MfaOptions> options) : PageModel
{
    [BindProperty] public string? Code { get; set; }

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public bool Enabled { get; private set; }
    /// <summary>This person's role requires a second factor (<c>Security:Mfa</c>).</summary>
    public bool Required { get; private set; }
    public string? SharedKey { get; private set; }
    public string? AuthenticatorUri { get; private set; }
    public string? QrCode { get; private set; }
    public int RecoveryCodesLeft { get; private set; }
    /// <summary>Recovery codes just made: shown in this answer only, never again.</summary>
    public IReadOnlyList<string>? NewRecoveryCodes { get; private set; }
    public string ContinueUrl { get; private set; } = "/";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await users.GetUserAsync(User) is { } user ? await ShowAsync(user, ct) : Challenge();

    public async Task<IActionResult> OnPostEnableAsync(CancellationToken ct)
    {
        if (await users.GetUserAsync(User) is not { } user)
            return Challenge();
        if (await users.GetTwoFactorEnabledAsync(user))
            return RedirectToPage();
        if (!await VerifyAsync(user))
            return await ShowAsync(user, ct);
        IEnumerable<string>? codes;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            Check(await users.SetTwoFactorEnabledAsync(user, true));   // renews the security stamp: the person's password-only sessions end
            codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, TwoFactor.RecoveryCodeCount);
            await db.AuditAsync(user.Email!, "Platform", "mfa-enrol", null, new { email = user.Email, recoveryCodes = TwoFactor.RecoveryCodeCount }, clock.GetUtcNow(), ct);
            await transaction.CommitAsync(ct);
        }
        await signIn.RefreshSignInAsync(user);   // this session proved the new factor: a fresh cookie with the new stamp and the two-factor claim
        NewRecoveryCodes = [.. codes!];
        return await ShowAsync(user, ct);
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync(CancellationToken ct)
    {
        if (await users.GetUserAsync(User) is not { } user)
            return Challenge();
        if (!await users.GetTwoFactorEnabledAsync(user))
            return RedirectToPage();
        if (!await VerifyAsync(user))
            return await ShowAsync(user, ct);
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            NewRecoveryCodes = [.. (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, TwoFactor.RecoveryCodeCount))!];
            await db.AuditAsync(user.Email!, "Platform", "mfa-recovery-codes", null, new { email = user.Email, recoveryCodes = TwoFactor.RecoveryCodeCount }, clock.GetUtcNow(), ct);
            await transaction.CommitAsync(ct);
        }
        return await ShowAsync(user, ct);
    }

    /// <summary>A current code of the person's authenticator (Identity's authenticator token provider, the person's key).</summary>
    private async Task<bool> VerifyAsync(IdentityUser user)
    {
        if (TwoFactor.AuthenticatorCode(Code) is { } code && await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
            return true;
        ModelState.AddModelError(nameof(Code), Code is null or "" ? "Enter the 6-digit code your authenticator app shows."
            : "That code is not right. Check that your phone's clock is set automatically and enter the current code.");
        return false;
    }

    private async Task<IActionResult> ShowAsync(IdentityUser user, CancellationToken ct)
    {
        var mfa = options.CurrentValue;
        Required = mfa.Required && mfa.Roles.Any(User.IsInRole);
        Enabled = await users.GetTwoFactorEnabledAsync(user);
        if (Enabled)
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
        else
        {
            var key = await users.AuthenticatorKeyAsync(store, user, ct);
            SharedKey = TwoFactor.FormatKey(key);
            AuthenticatorUri = TwoFactor.AuthenticatorUri(mfa.Issuer, user.Email!, key);
            QrCode = TwoFactor.QrCodeDataUri(AuthenticatorUri);
        }
        ContinueUrl = SecondStep.Destination(Url, ReturnUrl is { } r && r.StartsWith(TwoFactor.Page, StringComparison.OrdinalIgnoreCase) ? null : ReturnUrl,
            PasswordChange.StartPageFor(await users.GetRolesAsync(user)));
        return Page();
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
