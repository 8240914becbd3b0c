using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Web.Platform;
using SafeCities.Web.Platform.Identity;

namespace SafeCities.Web.Pages.Me;

/// <summary>A person changes their own password (required first after a one-time password); audited, never with the password.</summary>
internal sealed class PasswordModel(UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn, PlatformDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty] public PasswordInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public bool Required => User.HasClaim(PasswordChange.RequiredClaim, "1");

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
            return Page();
        var user = await users.GetUserAsync(User);
        if (user is null)
            return Challenge();
        if (Input.NewPassword == Input.CurrentPassword)
        {
            ModelState.AddModelError("Input.NewPassword", "Choose a password different from the current one.");
            return Page();
        }
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var changed = await users.ChangePasswordAsync(user, Input.CurrentPassword, Input.NewPassword);
            if (!changed.Succeeded)
            {
                foreach (var e in changed.Errors)
                    ModelState.AddModelError(e.Code == "PasswordMismatch" ? "Input.CurrentPassword" : "Input.NewPassword", e.Description);
                return Page();
            }
            foreach (var claim in (await users.GetClaimsAsync(user)).Where(c => c.Type == PasswordChange.RequiredClaim))
                await users.RemoveClaimAsync(user, claim);
            await db.AuditAsync(user.Email!, "Platform", "password-change", null, new { email = user.Email }, clock.GetUtcNow(), ct);
            await transaction.CommitAsync(ct);
        }
        await signIn.RefreshSignInAsync(user);   // a fresh cookie without the claim (the stamp changed with the password)
        return LocalRedirect(!string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) && !ReturnUrl.StartsWith(PasswordChange.Page, StringComparison.Ordinal)
            ? ReturnUrl
            : PasswordChange.StartPageFor(await users.GetRolesAsync(user)));
    }

    internal sealed class PasswordInput
    {
        [Required, DataType(DataType.Password), Display(Name = "Current password")]
        public string CurrentPassword { get; set; } = "";

        [Required, DataType(DataType.Password), Display(Name = "New password"), StringLength(200, MinimumLength = 12)]
        public string NewPassword { get; set; } = "";

        [Required, DataType(DataType.Password), Display(Name = "New password again"), Compare(nameof(NewPassword), ErrorMessage = "The two new passwords differ.")]
        public string ConfirmPassword { get; set; } = "";
    }
}
