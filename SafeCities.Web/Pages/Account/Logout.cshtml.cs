using Microsoft.AspNetCore.Identity;

namespace SafeCities.Web.Pages.Account;

internal sealed class LogoutModel(SignInManager<IdentityUser> signIn) : PageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return RedirectToPage("/Account/Login");
    }
}
