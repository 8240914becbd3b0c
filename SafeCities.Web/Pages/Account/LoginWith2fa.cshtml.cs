using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Web.Pages.Account;

/// <summary>The second sign-in step: the 6-digit code of the person's authenticator app (a recovery code on the next page). No "remember this device": RTCC workstations are shared.</summary>
internal sealed class LoginWith2faModel(ISender sender) : PageModel
{
    [BindProperty] public string? Code { get; set; }

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        !await sender.Send(new IsSecondFactorPendingQuery()) ? RedirectToPage("/Account/Login", new { returnUrl = ReturnUrl }) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await sender.Send(new SignInWithSecondFactorCommand(SecondFactorMethod.Authenticator, Code), ct);
        if (outcome.Result == SecondFactorResult.NotPending)
            return RedirectToPage("/Account/Login", new { returnUrl = ReturnUrl });
        if (outcome.Result == SecondFactorResult.SignedIn)
            return LocalRedirect(SecondStep.Destination(Url, ReturnUrl, outcome.Home!));
        ModelState.AddModelError(nameof(Code), outcome.Result switch
        {
            SecondFactorResult.Malformed => "Enter the 6-digit code your authenticator app shows.",
            SecondFactorResult.LockedOut => SecondStep.LockedOut,
            _ => "That code is not right. Check the time on your phone and try the current code.",
        });
        return Page();
    }
}

/// <summary>What the two second-step pages share.</summary>
internal static class SecondStep
{
    public const string LockedOut = "This account is locked (for 15 minutes after too many failed attempts, or by an administrator). Ask an administrator if it stays locked.";

    /// <summary>The page the person asked for (local only), else their role's start page.</summary>
    public static string Destination(IUrlHelper url, string? returnUrl, string home) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl != "/" && url.IsLocalUrl(returnUrl) ? returnUrl : home;
}
