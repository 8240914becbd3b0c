using System.ComponentModel.DataAnnotations;
using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Web.Pages.Me;

/// <summary>A person changes their own password (required first after a one-time password); audited, never with the password.</summary>
internal sealed class PasswordModel(ISender sender) : PageModel
{
    [BindProperty] public PasswordInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public bool Required => User.HasClaim(SignInSteps.PasswordChangeRequiredClaim, "1");

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
            return Page();
        string? home;
        try
        {
            home = await sender.Send(new ChangeOwnPasswordCommand(User, Input.CurrentPassword, Input.NewPassword), ct);
        }
        catch (FluentValidation.ValidationException ex)
        {
            foreach (var e in ex.Errors)
                ModelState.AddModelError($"Input.{e.PropertyName}", e.ErrorMessage);
            return Page();
        }
        if (home is null)
            return Challenge();
        return LocalRedirect(!string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) && !ReturnUrl.StartsWith(SignInSteps.PasswordPage, StringComparison.Ordinal)
            ? ReturnUrl
            : home);
    }

    internal sealed class PasswordInput
    {
        [Required(ErrorMessage = "Enter your current password."), DataType(DataType.Password), Display(Name = "Current password")]
        public string CurrentPassword { get; set; } = "";

        [Required(ErrorMessage = SignInSteps.PasswordRule), DataType(DataType.Password), Display(Name = "New password"), StringLength(200, MinimumLength = 12, ErrorMessage = SignInSteps.PasswordRule)]
        public string NewPassword { get; set; } = "";

        [Required(ErrorMessage = "Enter the new password again."), DataType(DataType.Password), Display(Name = "New password again"), Compare(nameof(NewPassword), ErrorMessage = "The two new passwords differ.")]
        public string ConfirmPassword { get; set; } = "";
    }
}
