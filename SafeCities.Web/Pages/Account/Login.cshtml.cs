using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Web.Pages.Account;

internal sealed class LoginModel(SignInManager<IdentityUser> signIn, ISender sender, ILogger<LoginModel> logger) : PageModel
{
    [BindProperty]
    public LoginInput Input { get; set; } = new();

    public string ReturnUrl { get; private set; } = "/";

    public void OnGet(string? returnUrl) => ReturnUrl = SafeReturn(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? returnUrl)
    {
        ReturnUrl = SafeReturn(returnUrl);
        if (!ModelState.IsValid)
            return Page();
        var result = await signIn.PasswordSignInAsync(Input.Email.Trim(), Input.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            logger.LogInformation("{User} signed in", Input.Email);
            return LocalRedirect(ReturnUrl == "/" ? await HomeOfAsync(Input.Email.Trim()) : ReturnUrl);
        }
        if (result.RequiresTwoFactor)   // the password was right; Identity holds the person in its two-factor cookie for the second step
            return RedirectToPage("/Account/LoginWith2fa", new { returnUrl = ReturnUrl });
        ModelState.AddModelError(string.Empty, result.IsLockedOut
            ? "This account is locked (for 15 minutes after too many failed attempts, or by an administrator). Ask an administrator if it stays locked."
            : "Wrong email or password.");
        return Page();
    }

    private async Task<string> HomeOfAsync(string email) => await sender.Send(new GetStartPageQuery(email));

    private string SafeReturn(string? url) => !string.IsNullOrEmpty(url) && Url.IsLocalUrl(url) ? url : "/";

    internal sealed class LoginInput
    {
        [Required, EmailAddress]
        public string Email { get; set; } = "";

        [Required, DataType(DataType.Password)]
        public string Password { get; set; } = "";
    }
}
