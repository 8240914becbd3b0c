using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Security;
using SafeCities.Web.Platform.Identity;

namespace SafeCities.Web.Pages.Admin;

/// <summary>People's accounts: create (one-time password shown once), roles, district and agency, password reset, two-factor reset, lock and unlock.</summary>
internal sealed class UsersModel(UserAdministration admin, ISender sender) : PageModel
{
    [BindProperty]
    public UserInput Input { get; set; } = new();

    public IReadOnlyList<UserInfo> People { get; private set; } = [];
    public IReadOnlyList<AgencyDto> Agencies { get; private set; } = [];
    /// <summary>The account being edited (<c>?edit=email</c>), if any.</summary>
    public UserInfo? Editing { get; private set; }
    public (string Email, string Password)? OneTimePassword { get; private set; }

    public Task OnGetAsync(string? edit, CancellationToken ct) => LoadAsync(edit, ct);

    public Task<IActionResult> OnPostCreateAsync(CancellationToken ct) => RunAsync(null, "Input.", async () =>
    {
        OneTimePassword = (Input.Email?.Trim() ?? "", await admin.CreateAsync(User, Input.Email, Input.Role, Input.District, Input.AgencyId, ct));
        Input = new UserInput();
    }, ct);

    public Task<IActionResult> OnPostRolesAsync(string email, string[] roles, CancellationToken ct) =>
        RunAsync(email, "", () => admin.SetRolesAsync(User, email, roles, ct), ct);

    public Task<IActionResult> OnPostDistrictAsync(string email, string? district, CancellationToken ct) =>
        RunAsync(email, "", () => admin.SetDistrictAsync(User, email, district, ct), ct);

    public Task<IActionResult> OnPostAgencyAsync(string email, Guid? agencyId, CancellationToken ct) =>
        RunAsync(email, "", () => admin.SetAgencyAsync(User, email, agencyId, ct), ct);

    public Task<IActionResult> OnPostResetPasswordAsync(string email, CancellationToken ct) =>
        RunAsync(email, "", async () => OneTimePassword = (email, await admin.ResetPasswordAsync(User, email, ct)), ct);

    public Task<IActionResult> OnPostResetMfaAsync(string email, CancellationToken ct) => RunAsync(email, "", () => admin.ResetMfaAsync(User, email, ct), ct);

    public Task<IActionResult> OnPostLockAsync(string email, CancellationToken ct) => RunAsync(email, "", () => admin.LockAsync(User, email, ct), ct);

    public Task<IActionResult> OnPostUnlockAsync(string email, CancellationToken ct) => RunAsync(email, "", () => admin.UnlockAsync(User, email, ct), ct);

    /// <summary>Runs a change; refused input or rules become form errors (field errors prefixed for the create form). The page is shown again.</summary>
    private async Task<IActionResult> RunAsync(string? email, string prefix, Func<Task> change, CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            try
            {
                await change();
                ModelState.Clear();
            }
            catch (ValidationException v)
            {
                ModelState.AddValidationErrors(v, prefix.TrimEnd('.'));
            }
            catch (DomainRuleException d)
            {
                ModelState.AddModelError(prefix == "" ? "" : prefix + nameof(UserInput.Email), d.Message);
            }
        }
        await LoadAsync(email, ct);
        return Page();
    }

    private async Task LoadAsync(string? edit, CancellationToken ct)
    {
        People = await admin.ListAsync(null, ct);
        Agencies = await sender.Send(new ListAgenciesQuery(), ct);
        Editing = People.FirstOrDefault(p => string.Equals(p.Email, edit, StringComparison.OrdinalIgnoreCase));
    }

    internal sealed class UserInput
    {
        public string? Email { get; set; }
        public string? Role { get; set; } = Roles.Officer;
        public string? District { get; set; }
        public Guid? AgencyId { get; set; }
    }
}
