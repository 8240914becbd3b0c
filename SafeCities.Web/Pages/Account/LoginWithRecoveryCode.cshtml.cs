using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafeCities.Web.Platform.Identity;

namespace SafeCities.Web.Pages.Account;

/// <summary>The second sign-in step with one of the person's ten recovery codes (each works once) instead of the authenticator app.</summary>
internal sealed class LoginWithRecoveryCodeModel(SecondFactorSignIn secondFactor) : PageModel
{
    [BindProperty] public string? RecoveryCode { get; set; }

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await secondFactor.PendingAsync() is null ? RedirectToPage("/Account/Login", new { returnUrl = ReturnUrl }) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await secondFactor.PendingAsync() is not { } user)
            return RedirectToPage("/Account/Login", new { returnUrl = ReturnUrl });
        if (TwoFactor.RecoveryCode(RecoveryCode) is not { } code)
        {
            ModelState.AddModelError(nameof(RecoveryCode), "Enter one of your recovery codes, like ABCDE-12345.");
            return Page();
        }
        var outcome = await secondFactor.RecoveryCodeAsync(user, code, ct);
        if (outcome.Succeeded)
            return LocalRedirect(SecondStep.Destination(Url, ReturnUrl, outcome.Home!));
        ModelState.AddModelError(nameof(RecoveryCode), outcome.LockedOut ? SecondStep.LockedOut : "That recovery code is not right, or it was used already.");
        return Page();
    }
}
