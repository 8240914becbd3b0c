using System.Security.Claims;

namespace SafeCities.Modules.Platform.Contracts;

/// <param name="MfaEnabled">The person signs in with a second factor (an authenticator app).</param>
public sealed record UserDto(string Email, IReadOnlyList<string> Roles, Guid? AgencyId, string? AgencyName, string? District, bool LockedOut,
    bool MfaEnabled);

// People's accounts (the Users page and /api/v1/users). Each change is made by Admin, audited, and refuses bad input with a ValidationException
// (field by field) and an unknown user or a refused change with a DomainRuleException (404/409).

/// <summary>Every person's account, or the one with <paramref name="Email"/>.</summary>
public sealed record ListUsersQuery(string? Email = null) : IQuery<IReadOnlyList<UserDto>>;

/// <summary>Creates an account with one role; answers its one-time password (shown once; replaced at first sign-in).</summary>
public sealed record CreateUserCommand(ClaimsPrincipal Admin, string? Email, string? Role, string? District, Guid? AgencyId) : ICommand<string>;

public sealed record SetUserRolesCommand(ClaimsPrincipal Admin, string Email, IReadOnlyCollection<string>? Roles) : ICommand;

/// <summary>Answers a new one-time password (shown once); the person's open sessions end.</summary>
public sealed record ResetUserPasswordCommand(ClaimsPrincipal Admin, string Email) : ICommand<string>;

public sealed record ResetUserMfaCommand(ClaimsPrincipal Admin, string Email) : ICommand;

public sealed record LockUserCommand(ClaimsPrincipal Admin, string Email) : ICommand;

public sealed record UnlockUserCommand(ClaimsPrincipal Admin, string Email) : ICommand;

public sealed record SetUserDistrictCommand(ClaimsPrincipal Admin, string Email, string? District) : ICommand;

public sealed record SetUserAgencyCommand(ClaimsPrincipal Admin, string Email, Guid? AgencyId) : ICommand;

/// <summary>The one-time <c>create-admin</c> command: an administrator whose generated password (answered once) must be replaced at first sign-in.</summary>
public sealed record CreateAdministratorCommand(string Email) : ICommand<string>;
