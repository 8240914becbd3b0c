using System.Security.Claims;

namespace SafeCities.Modules.Platform.Contracts;

/// <summary>The steps a signed-in person may have to take first, and where.</summary>
public static class SignInSteps
{
    /// <summary>Carried by a person whose password is a one-time password until they choose their own at <see cref="PasswordPage"/>.</summary>
    public const string PasswordChangeRequiredClaim = "safecities:password_change_required";
    public const string PasswordPage = "/Me/Password";
    public const string MfaPage = "/Me/Mfa";
    public const int RecoveryCodeCount = 10;
    /// <summary>The password rule (PlatformModule's Identity options) as people read it, on the form and in place of Identity's one message per broken part.</summary>
    public const string PasswordRule = "Choose a password of at least 12 characters with upper and lower case letters, a digit and a symbol.";
}

/// <summary>Where a person starts after signing in, by their roles (command staff: the board; oversight: the audit log; partners: intelligence).</summary>
public sealed record GetStartPageQuery(string Email) : IQuery<string>;

/// <summary>
/// A person replaces their own password (audited, never with a password) and gets a fresh sign-in cookie. Answers their start page, or null
/// when the person is not found; a refused password throws a ValidationException on <c>CurrentPassword</c> or <c>NewPassword</c>.
/// </summary>
public sealed record ChangeOwnPasswordCommand(ClaimsPrincipal User, string CurrentPassword, string NewPassword) : ICommand<string?>
{
    public override string ToString() => nameof(ChangeOwnPasswordCommand);
}

/// <param name="SharedKey">The authenticator key in groups of four (null once enrolled).</param>
/// <param name="QrCode">The key as a QR code, a PNG <c>data:</c> URI.</param>
public sealed record MfaEnrolmentDto(bool Enabled, bool Required, string? SharedKey, string? AuthenticatorUri, string? QrCode, int RecoveryCodesLeft,
    string StartPage);

/// <summary>The person's two-factor state; the authenticator key is made on first need. Null: the person is not found.</summary>
public sealed record GetMfaEnrolmentQuery(ClaimsPrincipal User) : IQuery<MfaEnrolmentDto?>;

public enum MfaChange
{
    /// <summary>The person is not found.</summary>
    NoUser,
    /// <summary>Nothing to do: already enrolled (enable) or not enrolled (new recovery codes).</summary>
    NotApplicable,
    /// <summary>The code is not a current code of the person's authenticator.</summary>
    WrongCode,
    Done,
}

/// <param name="RecoveryCodes">The new recovery codes when <see cref="Change"/> is Done: shown once, never again.</param>
public sealed record MfaChangeDto(MfaChange Change, IReadOnlyList<string> RecoveryCodes);

/// <summary>Turns on two-factor sign-in with a current code of the new authenticator; answers ten recovery codes. Audited.</summary>
public sealed record EnableMfaCommand(ClaimsPrincipal User, string? Code) : ICommand<MfaChangeDto>
{
    public override string ToString() => nameof(EnableMfaCommand);
}

/// <summary>Replaces the recovery codes (a current authenticator code is required, so a stolen session cannot mint them). Audited.</summary>
public sealed record RenewRecoveryCodesCommand(ClaimsPrincipal User, string? Code) : ICommand<MfaChangeDto>
{
    public override string ToString() => nameof(RenewRecoveryCodesCommand);
}

/// <summary>Whether a person whose password was right a moment ago waits for their second sign-in step.</summary>
public sealed record IsSecondFactorPendingQuery : IQuery<bool>;

public enum SecondFactorMethod
{
    Authenticator,
    RecoveryCode,
}

public enum SecondFactorResult
{
    /// <summary>No second step is pending (or it expired): back to the sign-in page.</summary>
    NotPending,
    /// <summary>Not shaped like a code of this method (nothing was tried).</summary>
    Malformed,
    Refused,
    LockedOut,
    SignedIn,
}

/// <param name="Home">The person's start page when signed in.</param>
public sealed record SecondFactorSignInDto(SecondFactorResult Result, string? Home);

/// <summary>The second sign-in step: an authenticator code or a recovery code (each works once). Wrong codes count toward lockout; audited.</summary>
public sealed record SignInWithSecondFactorCommand(SecondFactorMethod Method, string? Code) : ICommand<SecondFactorSignInDto>
{
    public override string ToString() => nameof(SignInWithSecondFactorCommand);
}
