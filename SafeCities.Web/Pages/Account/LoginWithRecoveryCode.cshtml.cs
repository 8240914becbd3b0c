using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Web.Pages.Account;

/// <summary>The second sign-in step with one of the person's ten recovery codes (each works once) instead of the authenticator app.</summary>
internal sealed class LoginWithRecoveryCodeModel(ISender sender) : PageModel
{
    [BindProperty] public string? RecoveryCode { get; set; }

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        !await sender.Send(new IsSecondFactorPendingQuery()) ? RedirectToPage("/Account/Login", new { returnUrl = ReturnUrl }) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await sender.Send(new SignInWithSecondFactorCommand(SecondFactorMethod.RecoveryCode, RecoveryCode), ct);
        if (outcome.Result == SecondFactorResult.NotPending)
            return RedirectToPage("/Account/Login", new { returnUrl = ReturnUrl });
        if (outcome.Result == SecondFactorResult.SignedIn)
            return LocalRedirect(SecondStep.Destination(Url, ReturnUrl, outcome.Home!));
        ModelState.AddModelError(nameof(RecoveryCode), outcome.Result switch
        {
            SecondFactorResult.Malformed => "Enter one of your recovery codes, like ABCDE-12345.",
            SecondFactorResult.LockedOut => SecondStep.LockedOut,
            _ => "That recovery code is not right, or it was used already.",
        });
        return Page();
    }
}
