using Microsoft.AspNetCore.Identity;
using SafeCities.Modules.Platform.Data;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform.Identity;

/// <summary>What the second sign-in step came to; <see cref="Home"/> is the person's start page when it succeeded.</summary>
internal sealed record SecondFactorOutcome(bool Succeeded, bool LockedOut, string? Home);

/// <summary>
/// The second sign-in step (after the password) for <c>/Account/LoginWith2fa</c> and <c>/Account/LoginWithRecoveryCode</c>: the person
/// Identity holds in its two-factor cookie proves an authenticator code or spends a recovery code. Wrong codes count toward the same
/// lockout as wrong passwords (5 lock for 15 minutes). Every attempt is audited (module Platform), never with the code.
/// </summary>
internal sealed class SecondFactorSignIn(SignInManager<IdentityUser> signIn, UserManager<IdentityUser> users, PlatformDbContext db, TimeProvider clock)
{
    /// <summary>The person whose password was right a moment ago (null: no second step is pending, or it expired after 5 minutes).</summary>
    public Task<IdentityUser?> PendingAsync() => signIn.GetTwoFactorAuthenticationUserAsync();

    public async Task<SecondFactorOutcome> AuthenticatorAsync(IdentityUser user, string code, CancellationToken ct)
    {
        // Identity verifies the code (RFC 6238, the user's key), counts a failure toward lockout and refuses a locked account.
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            await AuditAsync(user, "mfa-sign-in", new { email = user.Email, method = "authenticator" }, ct);
            return new SecondFactorOutcome(true, false, await HomeAsync(user));
        }
        return await FailedAsync(user, "authenticator", result.IsLockedOut, ct);
    }

    public async Task<SecondFactorOutcome> RecoveryCodeAsync(IdentityUser user, string code, CancellationToken ct)
    {
        if (await users.IsLockedOutAsync(user))
            return await FailedAsync(user, "recovery-code", true, ct);
        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(code);   // redeems the code: it never works again
        if (result.Succeeded)
        {
            await AuditAsync(user, "mfa-recovery-code-sign-in",
                new { email = user.Email, method = "recovery-code", recoveryCodesLeft = await users.CountRecoveryCodesAsync(user) }, ct);
            return new SecondFactorOutcome(true, false, await HomeAsync(user));
        }
        // Identity does not count a wrong recovery code toward lockout ("codes are expected to be random"); we do, as for any wrong code.
        if (!result.IsLockedOut)
            await users.AccessFailedAsync(user);
        return await FailedAsync(user, "recovery-code", result.IsLockedOut || await users.IsLockedOutAsync(user), ct);
    }

    private async Task<SecondFactorOutcome> FailedAsync(IdentityUser user, string method, bool lockedOut, CancellationToken ct)
    {
        await AuditAsync(user, "mfa-sign-in-failed", new { email = user.Email, method, lockedOut }, ct);
        return new SecondFactorOutcome(false, lockedOut, null);
    }

    private async Task<string> HomeAsync(IdentityUser user) => Roles.StartPageFor(await users.GetRolesAsync(user));

    private Task AuditAsync(IdentityUser user, string action, object details, CancellationToken ct) =>
        db.AuditAsync(user.Email!, "Platform", action, null, details, clock.GetUtcNow(), ct);
}
