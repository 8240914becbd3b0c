using FluentValidation.Results;
using Microsoft.AspNetCore.Identity;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Platform.Data;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform.Identity;

// The host's sign-in pages (/Account/*, /Me/*) reach Identity through these messages; each change and its audit record commit together
// (Identity's store and the audit share the platform context's connection).

internal sealed class GetStartPageQueryHandler(UserManager<IdentityUser> users) : IQueryHandler<GetStartPageQuery, string>
{
    public async ValueTask<string> Handle(GetStartPageQuery query, CancellationToken cancellationToken) =>
        Roles.StartPageFor(await users.GetRolesAsync((await users.FindByEmailAsync(query.Email))!));
}

internal sealed class ChangeOwnPasswordCommandHandler(UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn, PlatformDbContext db,
    TimeProvider clock) : ICommandHandler<ChangeOwnPasswordCommand, string?>
{
    public async ValueTask<string?> Handle(ChangeOwnPasswordCommand command, CancellationToken ct)
    {
        var user = await users.GetUserAsync(command.User);
        if (user is null)
            return null;
        if (command.NewPassword == command.CurrentPassword)
            throw new ValidationException([new ValidationFailure(nameof(command.NewPassword), "Choose a password different from the current one.")]);
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var changed = await users.ChangePasswordAsync(user, command.CurrentPassword, command.NewPassword);
            if (!changed.Succeeded)
                throw new ValidationException(changed.Errors.Select(e =>
                        e.Code == "PasswordMismatch" ? new ValidationFailure(nameof(command.CurrentPassword), e.Description)
                        : e.Code.StartsWith("Password", StringComparison.Ordinal) ? new ValidationFailure(nameof(command.NewPassword), SignInSteps.PasswordRule)
                        : new ValidationFailure(nameof(command.NewPassword), e.Description))
                    .DistinctBy(f => f.ErrorMessage));
            foreach (var claim in (await users.GetClaimsAsync(user)).Where(c => c.Type == PasswordChange.RequiredClaim))
                await users.RemoveClaimAsync(user, claim);
            await db.AuditAsync(user.Email!, "Platform", "password-change", null, new { email = user.Email }, clock.GetUtcNow(), ct);
            await transaction.CommitAsync(ct);
        }
        await signIn.RefreshSignInAsync(user);   // a fresh cookie without the claim (the stamp changed with the password)
        return Roles.StartPageFor(await users.GetRolesAsync(user));
    }
}

internal sealed class GetMfaEnrolmentQueryHandler(UserManager<IdentityUser> users, IUserStore<IdentityUser> store, IOptionsMonitor<MfaOptions> options)
    : IQueryHandler<GetMfaEnrolmentQuery, MfaEnrolmentDto?>
{
    public async ValueTask<MfaEnrolmentDto?> Handle(GetMfaEnrolmentQuery query, CancellationToken ct)
    {
        if (await users.GetUserAsync(query.User) is not { } user)
            return null;
        var mfa = options.CurrentValue;
        var required = mfa.Required && mfa.Roles.Any(query.User.IsInRole);
        var home = Roles.StartPageFor(await users.GetRolesAsync(user));
        if (await users.GetTwoFactorEnabledAsync(user))
            return new MfaEnrolmentDto(true, required, null, null, null, await users.CountRecoveryCodesAsync(user), home);
        var key = await users.AuthenticatorKeyAsync(store, user, ct);
        var uri = TwoFactor.AuthenticatorUri(mfa.Issuer, user.Email!, key);
        return new MfaEnrolmentDto(false, required, TwoFactor.FormatKey(key), uri, TwoFactor.QrCodeDataUri(uri), 0, home);
    }
}

internal sealed class EnableMfaCommandHandler(UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn, PlatformDbContext db, TimeProvider clock)
    : ICommandHandler<EnableMfaCommand, MfaChangeDto>
{
    public async ValueTask<MfaChangeDto> Handle(EnableMfaCommand command, CancellationToken ct)
    {
        if (await users.GetUserAsync(command.User) is not { } user)
            return new MfaChangeDto(MfaChange.NoUser, []);
        if (await users.GetTwoFactorEnabledAsync(user))
            return new MfaChangeDto(MfaChange.NotApplicable, []);
        if (!await users.VerifyAuthenticatorCodeAsync(user, command.Code))
            return new MfaChangeDto(MfaChange.WrongCode, []);
        IEnumerable<string>? codes;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            TwoFactor.Check(await users.SetTwoFactorEnabledAsync(user, true));   // renews the security stamp: the person's password-only sessions end
            codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, TwoFactor.RecoveryCodeCount);
            await db.AuditAsync(user.Email!, "Platform", "mfa-enrol", null, new { email = user.Email, recoveryCodes = TwoFactor.RecoveryCodeCount }, clock.GetUtcNow(), ct);
            await transaction.CommitAsync(ct);
        }
        await signIn.RefreshSignInAsync(user);   // this session proved the new factor: a fresh cookie with the new stamp and the two-factor claim
        return new MfaChangeDto(MfaChange.Done, [.. codes!]);
    }
}

internal sealed class RenewRecoveryCodesCommandHandler(UserManager<IdentityUser> users, PlatformDbContext db, TimeProvider clock)
    : ICommandHandler<RenewRecoveryCodesCommand, MfaChangeDto>
{
    public async ValueTask<MfaChangeDto> Handle(RenewRecoveryCodesCommand command, CancellationToken ct)
    {
        if (await users.GetUserAsync(command.User) is not { } user)
            return new MfaChangeDto(MfaChange.NoUser, []);
        if (!await users.GetTwoFactorEnabledAsync(user))
            return new MfaChangeDto(MfaChange.NotApplicable, []);
        if (!await users.VerifyAuthenticatorCodeAsync(user, command.Code))
            return new MfaChangeDto(MfaChange.WrongCode, []);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        IReadOnlyList<string> codes = [.. (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, TwoFactor.RecoveryCodeCount))!];
        await db.AuditAsync(user.Email!, "Platform", "mfa-recovery-codes", null, new { email = user.Email, recoveryCodes = TwoFactor.RecoveryCodeCount }, clock.GetUtcNow(), ct);
        await transaction.CommitAsync(ct);
        return new MfaChangeDto(MfaChange.Done, codes);
    }
}

internal sealed class IsSecondFactorPendingQueryHandler(SecondFactorSignIn secondFactor) : IQueryHandler<IsSecondFactorPendingQuery, bool>
{
    public async ValueTask<bool> Handle(IsSecondFactorPendingQuery query, CancellationToken cancellationToken) => await secondFactor.PendingAsync() is not null;
}

internal sealed class SignInWithSecondFactorCommandHandler(SecondFactorSignIn secondFactor) : ICommandHandler<SignInWithSecondFactorCommand, SecondFactorSignInDto>
{
    public async ValueTask<SecondFactorSignInDto> Handle(SignInWithSecondFactorCommand command, CancellationToken ct)
    {
        if (await secondFactor.PendingAsync() is not { } user)
            return new SecondFactorSignInDto(SecondFactorResult.NotPending, null);
        var code = command.Method == SecondFactorMethod.Authenticator ? TwoFactor.AuthenticatorCode(command.Code) : TwoFactor.RecoveryCode(command.Code);
        if (code is null)
            return new SecondFactorSignInDto(SecondFactorResult.Malformed, null);
        var outcome = command.Method == SecondFactorMethod.Authenticator
            ? await secondFactor.AuthenticatorAsync(user, code, ct)
            : await secondFactor.RecoveryCodeAsync(user, code, ct);
        return new SecondFactorSignInDto(outcome.Succeeded ? SecondFactorResult.SignedIn : outcome.LockedOut ? SecondFactorResult.LockedOut : SecondFactorResult.Refused,
            outcome.Home);
    }
}
