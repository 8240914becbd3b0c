using SafeCities.Modules.Platform.Contracts;
using SafeCities.Web.Pages.Account;

namespace SafeCities.Web.Pages.Me;

/// <summary>
/// A person sets up two-factor sign-in: the shared key (grouped for typing, a QR code, a link that opens the authenticator app on a phone),
/// confirmed with a current code; then ten recovery codes, shown once. Later: the status, and new recovery codes (again with a current code,
/// so a stolen session cannot mint a lasting second factor). Enrolment and new codes are audited, never with a code or the key.
/// </summary>
internal sealed class MfaModel(ISender sender) : PageModel
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

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ShowAsync(ct);

    public async Task<IActionResult> OnPostEnableAsync(CancellationToken ct) => await ChangedAsync(await sender.Send(new EnableMfaCommand(User, Code), ct), ct);

    public async Task<IActionResult> OnPostRecoveryCodesAsync(CancellationToken ct) =>
        await ChangedAsync(await sender.Send(new RenewRecoveryCodesCommand(User, Code), ct), ct);

    private async Task<IActionResult> ChangedAsync(MfaChangeDto change, CancellationToken ct)
    {
        switch (change.Change)
        {
            case MfaChange.NoUser:
                return Challenge();
            case MfaChange.NotApplicable:
                return RedirectToPage();
            case MfaChange.WrongCode:
                ModelState.AddModelError(nameof(Code), Code is null or "" ? "Enter the 6-digit code your authenticator app shows."
                    : "That code is not right. Check that your phone's clock is set automatically and enter the current code.");
                break;
            default:
                NewRecoveryCodes = change.RecoveryCodes;
                break;
        }
        return await ShowAsync(ct);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken ct)
    {
        if (await sender.Send(new GetMfaEnrolmentQuery(User), ct) is not { } mfa)
            return Challenge();
        (Enabled, Required, SharedKey, AuthenticatorUri, QrCode, RecoveryCodesLeft) =
            (mfa.Enabled, mfa.Required, mfa.SharedKey, mfa.AuthenticatorUri, mfa.QrCode, mfa.RecoveryCodesLeft);
        ContinueUrl = SecondStep.Destination(Url, ReturnUrl is { } r && r.StartsWith(SignInSteps.MfaPage, StringComparison.OrdinalIgnoreCase) ? null : ReturnUrl,
            mfa.StartPage);
        return Page();
    }
}
