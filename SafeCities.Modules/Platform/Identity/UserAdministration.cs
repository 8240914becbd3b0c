using System.Security.Claims;
using System.Security.Cryptography;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Platform.Data;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Persistence;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform.Identity;

/// <summary>
/// People's accounts, for the Users page and the users API alike. Every change is audited (module Platform, never a password) in the same
/// transaction. Bad input throws <see cref="ValidationException"/> (field by field), an unknown user or a refused change
/// <see cref="DomainRuleException"/> (404/409). Role changes, locks and password resets renew the user's security stamp, so their open
/// sessions end at the next stamp validation (<c>Security:StampValidationSeconds</c>).
/// </summary>
internal sealed class UserAdministration(UserManager<IdentityUser> users, PlatformDbContext db, ISender sender, TimeProvider clock)
{
    public const int MaxDistrictLength = 40;
    private const string Module = "Platform";

    /// <summary>A one-time password: 144 random bits, and it satisfies the Identity password rules (length, cases, digit, symbol).</summary>
    public static string NewPassword() => "Sc-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('/', '_').Replace('+', '-') + "-9a";

    public async Task<IReadOnlyList<UserDto>> ListAsync(string? email, CancellationToken ct)
    {
        var normalized = email is null ? null : users.NormalizeEmail(email);
        var people = await db.Users.AsNoTracking().Where(u => normalized == null || u.NormalizedEmail == normalized).OrderBy(u => u.Email)
            .Select(u => new { u.Id, u.Email, u.LockoutEnd, u.TwoFactorEnabled }).ToListAsync(ct);
        var ids = people.Select(u => u.Id).ToList();
        var roles = (await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ids.Contains(ur.UserId) select new { ur.UserId, r.Name })
            .ToListAsync(ct)).ToLookup(x => x.UserId, x => x.Name!);
        var claims = (await db.UserClaims.AsNoTracking()
                .Where(c => ids.Contains(c.UserId) && (c.ClaimType == Policies.AgencyIdClaim || c.ClaimType == Policies.DistrictClaim))
                .Select(c => new { c.UserId, c.ClaimType, c.ClaimValue }).ToListAsync(ct))
            .ToLookup(c => (c.UserId, c.ClaimType), c => c.ClaimValue);
        var agencies = (await sender.Send(new ListAgenciesQuery(), ct)).ToDictionary(a => a.Id, a => a.Name);
        var now = clock.GetUtcNow();
        return people.Select(u =>
        {
            Guid? agencyId = Guid.TryParse(claims[(u.Id, Policies.AgencyIdClaim)].FirstOrDefault(), out var id) ? id : null;
            return new UserDto(u.Email!, roles[u.Id].Order().ToList(), agencyId, agencyId is { } a ? agencies.GetValueOrDefault(a) : null,
                claims[(u.Id, Policies.DistrictClaim)].FirstOrDefault(), u.LockoutEnd > now, u.TwoFactorEnabled);
        }).ToList();
    }

    /// <summary>
    /// Creates a person's account with one role and returns its generated one-time password (shown once, never stored in clear); the
    /// person must replace it at first sign-in (<see cref="PasswordChange"/>).
    /// </summary>
    public async Task<string> CreateAsync(ClaimsPrincipal admin, string? email, string? role, string? district, Guid? agencyId, CancellationToken ct)
    {
        email = email?.Trim() ?? "";
        district = NormalizeDistrict(district);
        var errors = new List<ValidationFailure>();
        if (!IsEmail(email))
            errors.Add(new ValidationFailure("email", "Enter a valid email address."));
        if (role is null || !Roles.People.Contains(role))
            errors.Add(new ValidationFailure("role", $"'Role' must be one of: {string.Join(", ", Roles.People)}."));
        errors.AddRange(ValidateDistrict(district));
        errors.AddRange(await ValidateAgencyAsync(agencyId, ct));
        ThrowIfAny(errors);
        if (await users.FindByEmailAsync(email) is not null)
            throw new DomainRuleException($"{email} already has an account.");

        var password = NewPassword();
        try
        {
            await InTransactionAsync(() => AddAsync(admin, email, password, role!, district, agencyId, ct), ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            throw new DomainRuleException($"{email} already has an account.");   // created by someone else a moment ago
        }
        return password;
    }

    private async Task AddAsync(ClaimsPrincipal admin, string email, string password, string role, string? district, Guid? agencyId, CancellationToken ct)
    {
        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true, LockoutEnabled = true };
        Check(await users.CreateAsync(user, password), "email");
        Check(await users.AddToRoleAsync(user, role), "role");
        await ReplaceClaimAsync(user, Policies.DistrictClaim, district);
        await ReplaceClaimAsync(user, Policies.AgencyIdClaim, agencyId?.ToString());
        await ReplaceClaimAsync(user, PasswordChange.RequiredClaim, "1");
        await AuditAsync(admin, "user-create", new { email, role, district, agencyId }, ct);
    }

    public async Task SetRolesAsync(ClaimsPrincipal admin, string email, IReadOnlyCollection<string>? roles, CancellationToken ct)
    {
        var user = await FindAsync(email);
        var wanted = (roles ?? []).Distinct().ToList();
        if (wanted.Count == 0 || wanted.Except(Roles.People).Any())
            ThrowIfAny([new ValidationFailure("roles", $"Choose at least one role, each one of: {string.Join(", ", Roles.People)}.")]);
        await InTransactionAsync(async () =>
        {
            var current = await users.GetRolesAsync(user);
            if (current.Contains(Roles.Administrator) && !wanted.Contains(Roles.Administrator))
                await GuardAdministratorAsync(admin, user, "remove the Administrator role from", ct);
            Check(await users.RemoveFromRolesAsync(user, current.Except(wanted)), "roles");
            Check(await users.AddToRolesAsync(user, wanted.Except(current)), "roles");
            Check(await users.UpdateSecurityStampAsync(user), "roles");
            await AuditAsync(admin, "user-roles", new { email = user.Email, before = current.Order(), roles = wanted.Order() }, ct);
        }, ct);
    }

    /// <summary>Replaces the password with a new one-time password (returned once). The user's open sessions end.</summary>
    public async Task<string> ResetPasswordAsync(ClaimsPrincipal admin, string email, CancellationToken ct)
    {
        var user = await FindAsync(email);
        var password = NewPassword();
        await InTransactionAsync(async () =>
        {
            Check(await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password), "password");
            await ReplaceClaimAsync(user, PasswordChange.RequiredClaim, "1");
            await AuditAsync(admin, "user-password-reset", new { email = user.Email }, ct);
        }, ct);
        return password;
    }

    /// <summary>Locks the account until unlocked (lockout end far in the future); the user's open sessions end.</summary>
    public async Task LockAsync(ClaimsPrincipal admin, string email, CancellationToken ct)
    {
        var user = await FindAsync(email);
        await InTransactionAsync(async () =>
        {
            await GuardAdministratorAsync(admin, user, "lock out", ct);
            Check(await users.SetLockoutEnabledAsync(user, true), "email");
            Check(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue), "email");
            Check(await users.UpdateSecurityStampAsync(user), "email");
            await AuditAsync(admin, "user-lock", new { email = user.Email }, ct);
        }, ct);
    }

    public async Task UnlockAsync(ClaimsPrincipal admin, string email, CancellationToken ct)
    {
        var user = await FindAsync(email);
        await InTransactionAsync(async () =>
        {
            Check(await users.SetLockoutEndDateAsync(user, null), "email");
            Check(await users.ResetAccessFailedCountAsync(user), "email");
            await AuditAsync(admin, "user-unlock", new { email = user.Email }, ct);
        }, ct);
    }

    /// <summary>
    /// Turns off a person's second factor and forgets their authenticator key and recovery codes (a lost or replaced phone); their open
    /// sessions end and, where their role requires it, they must set up two-factor sign-in again at their next sign-in. Not for yourself:
    /// a stolen session must not be able to swap in its own authenticator.
    /// </summary>
    public async Task ResetMfaAsync(ClaimsPrincipal admin, string email, CancellationToken ct)
    {
        var user = await FindAsync(email);
        if (users.GetUserId(admin) == user.Id)
            throw new DomainRuleException("You cannot reset your own two-factor sign-in; ask another administrator.");
        await InTransactionAsync(async () =>
        {
            var wasEnabled = await users.GetTwoFactorEnabledAsync(user);
            Check(await users.ForgetAsync(user), "email");
            await AuditAsync(admin, "user-mfa-reset", new { email = user.Email, wasEnabled }, ct);
        }, ct);
    }

    /// <summary>The police district a user serves (null or empty: none); release notices for that district reach them live.</summary>
    public async Task SetDistrictAsync(ClaimsPrincipal admin, string email, string? district, CancellationToken ct)
    {
        district = NormalizeDistrict(district);
        ThrowIfAny(ValidateDistrict(district));
        var user = await FindAsync(email);
        await InTransactionAsync(async () =>
        {
            await ReplaceClaimAsync(user, Policies.DistrictClaim, district);
            await AuditAsync(admin, "set-user-district", new { email = user.Email, district }, ct);
        }, ct);
    }

    /// <summary>The partner agency a user belongs to (null: none); their searches then follow that agency's sharing agreements.</summary>
    public async Task SetAgencyAsync(ClaimsPrincipal admin, string email, Guid? agencyId, CancellationToken ct)
    {
        ThrowIfAny(await ValidateAgencyAsync(agencyId, ct));
        var user = await FindAsync(email);
        await InTransactionAsync(async () =>
        {
            await ReplaceClaimAsync(user, Policies.AgencyIdClaim, agencyId?.ToString());
            await AuditAsync(admin, "set-user-agency", new { email = user.Email, agencyId }, ct);
        }, ct);
    }

    /// <summary>An administrator may not lock or demote themselves, nor the last unlocked administrator. Runs inside the transaction, under a lock.</summary>
    private async Task GuardAdministratorAsync(ClaimsPrincipal admin, IdentityUser user, string what, CancellationToken ct)
    {
        if (users.GetUserId(admin) == user.Id)
            throw new DomainRuleException($"You cannot {what} yourself; ask another administrator.");
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLocks.Administrators})", ct);
        if (!await users.IsInRoleAsync(user, Roles.Administrator) || await users.IsLockedOutAsync(user))
            return;   // not an administrator, or already locked: the unlocked administrators stay as many
        var now = clock.GetUtcNow();
        if (!(await users.GetUsersInRoleAsync(Roles.Administrator)).Any(u => u.Id != user.Id && !(u.LockoutEnd > now)))
            throw new DomainRuleException($"{user.Email} is the last unlocked administrator; you cannot {what} them.");
    }

    private async Task<IdentityUser> FindAsync(string email) =>
        await users.FindByEmailAsync(email.Trim()) ?? throw new DomainRuleException($"No user {email}.", StatusCodes.Status404NotFound);

    private async Task ReplaceClaimAsync(IdentityUser user, string type, string? value)
    {
        foreach (var claim in (await users.GetClaimsAsync(user)).Where(c => c.Type == type))
            Check(await users.RemoveClaimAsync(user, claim), type);
        if (!string.IsNullOrEmpty(value))
            Check(await users.AddClaimAsync(user, new Claim(type, value)), type);
    }

    /// <summary>One '@', something before it and a dotted domain after it (Identity's user validator then checks the characters).</summary>
    private static bool IsEmail(string email) =>
        email.Length <= 256 && new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email) && email.LastIndexOf('.') is var dot && dot > email.IndexOf('@') + 1 && dot < email.Length - 1;

    private static string? NormalizeDistrict(string? district) => string.IsNullOrWhiteSpace(district) ? null : district.Trim();

    private static IEnumerable<ValidationFailure> ValidateDistrict(string? district) =>
        district is { Length: > MaxDistrictLength } ? [new ValidationFailure("district", $"'District' must be at most {MaxDistrictLength} characters.")] : [];

    private async Task<IEnumerable<ValidationFailure>> ValidateAgencyAsync(Guid? agencyId, CancellationToken ct) =>
        agencyId is { } id && await sender.Send(new GetAgencyQuery(id), ct) is null ? [new ValidationFailure("agencyId", "No such agency.")] : [];

    private static void ThrowIfAny(IEnumerable<ValidationFailure> errors)
    {
        var list = errors.ToList();
        if (list.Count > 0)
            throw new ValidationException(list);
    }

    private static void Check(IdentityResult result, string field) =>
        ThrowIfAny(result.Errors.Select(e => new ValidationFailure(field, e.Description)));

    private Task AuditAsync(ClaimsPrincipal admin, string action, object details, CancellationToken ct) =>
        db.AuditAsync(admin.Actor(), Module, action, null, details, clock.GetUtcNow(), ct);

    /// <summary>Identity's store and the audit record share the platform context's connection, so the change and its audit commit together.</summary>
    private async Task InTransactionAsync(Func<Task> work, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await work();
        await transaction.CommitAsync(ct);
    }
}
