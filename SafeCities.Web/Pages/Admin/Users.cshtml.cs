using FluentValidation;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Web.Pages.Admin;

/// <summary>People's accounts: create (one-time password shown once), roles, district and agency, password reset, two-factor reset, lock and unlock.</summary>
internal sealed class UsersModel(ISender sender) : PageModel
{
    [BindProperty]
    public UserInput Input { get; set; } = new();

    public IReadOnlyList<UserDto> People { get; private set; } = [];
    public IReadOnlyList<AgencyDto> Agencies { get; private set; } = [];
    /// <summary>The account being edited (<c>?edit=email</c>), if any.</summary>
    public UserDto? Editing { get; private set; }
    public (string Email, string Password)? OneTimePassword { get; private set; }

    public Task OnGetAsync(string? edit, CancellationToken ct) => LoadAsync(edit, ct);

    public Task<IActionResult> OnPostCreateAsync(CancellationToken ct) => RunAsync(null, "Input.", async () =>
    {
        OneTimePassword = (Input.Email?.Trim() ?? "", await sender.Send(new CreateUserCommand(User, Input.Email, Input.Role, Input.District, Input.AgencyId), ct));
        Input = new UserInput();
    }, ct);

    public Task<IActionResult> OnPostRolesAsync(string email, string[] roles, CancellationToken ct) =>
        RunAsync(email, "", () => sender.Send(new SetUserRolesCommand(User, email, roles), ct).AsTask(), ct);

    public Task<IActionResult> OnPostDistrictAsync(string email, string? district, CancellationToken ct) =>
        RunAsync(email, "", () => sender.Send(new SetUserDistrictCommand(User, email, district), ct).AsTask(), ct);

    public Task<IActionResult> OnPostAgencyAsync(string email, Guid? agencyId, CancellationToken ct) =>
        RunAsync(email, "", () => sender.Send(new SetUserAgencyCommand(User, email, agencyId), ct).AsTask(), ct);

    public Task<IActionResult> OnPostResetPasswordAsync(string email, CancellationToken ct) =>
        RunAsync(email, "", async () => OneTimePassword = (email, await sender.Send(new ResetUserPasswordCommand(User, email), ct)), ct);

    public Task<IActionResult> OnPostResetMfaAsync(string email, CancellationToken ct) => RunAsync(email, "", () => sender.Send(new ResetUserMfaCommand(User, email), ct).AsTask(), ct);

    public Task<IActionResult> OnPostLockAsync(string email, CancellationToken ct) => RunAsync(email, "", () => sender.Send(new LockUserCommand(User, email), ct).AsTask(), ct);

    public Task<IActionResult> OnPostUnlockAsync(string email, CancellationToken ct) => RunAsync(email, "", () => sender.Send(new UnlockUserCommand(User, email), ct).AsTask(), ct);

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
        People = await sender.Send(new ListUsersQuery(), ct);
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
