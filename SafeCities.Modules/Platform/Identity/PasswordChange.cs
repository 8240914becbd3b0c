using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform.Identity;

/// <summary>
/// A one-time password (given by an administrator, or printed by <c>create-admin</c>) must be replaced before anything else: the user
/// carries <see cref="RequiredClaim"/> until they choose their own at <see cref="Page"/>; the sign-in requirements gate
/// (<see cref="SignInRequirements"/>) enforces it.
/// </summary>
internal static class PasswordChange
{
    public const string RequiredClaim = SignInSteps.PasswordChangeRequiredClaim;
    public const string Page = SignInSteps.PasswordPage;
}
