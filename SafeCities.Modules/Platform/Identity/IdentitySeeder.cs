using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using SafeCities.Modules.Shared.Persistence;
using SafeCities.Modules.Shared.Security;
using SafeCities.Modules.Platform.ApiKeys;

namespace SafeCities.Modules.Platform.Identity;

/// <summary>
/// Roles always; an administrator only from configuration (<c>Bootstrap:Admin:*</c>) or the one-time <c>create-admin</c> command;
/// demo users only when <c>Demo:SeedUsers</c> is on (Development); the automation key from <c>Bootstrap:AdminApiKey</c>.
/// </summary>
internal sealed class IdentitySeeder(UserManager<IdentityUser> users, RoleManager<IdentityRole> roles, ApiKeyService keys, IConfiguration config,
    ILogger<IdentitySeeder> logger) : IStartupTask
{
    public static readonly IReadOnlyList<(string Email, string Role)> DemoUsers =
    [
        ("admin@safecities.test", Roles.Administrator), ("commander@safecities.test", Roles.Commander), ("officer@safecities.test", Roles.Officer),
        ("analyst@safecities.test", Roles.Analyst), ("judge@safecities.test", Roles.Judge), ("probation@safecities.test", Roles.ProbationOfficer),
        ("oversight@safecities.test", Roles.Oversight),
    ];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var role in Roles.People)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));

        if (config["Bootstrap:Admin:Email"] is { Length: > 0 } email && config["Bootstrap:Admin:Password"] is { Length: > 0 } password)
            await EnsureUserAsync(email, password, Roles.Administrator);

        if (config.GetValue("Demo:SeedUsers", false))
        {
            var demoPassword = config["Demo:UserPassword"] ?? throw new InvalidOperationException("Demo:UserPassword is required with Demo:SeedUsers.");
            foreach (var (demoEmail, role) in DemoUsers)
                await EnsureUserAsync(demoEmail, demoPassword, role);
        }

        if (config["Bootstrap:AdminApiKey"] is { Length: > 0 } adminKey)
            await keys.EnsureBootstrapAdminAsync(adminKey, cancellationToken);
    }

    public async Task<IdentityUser> EnsureUserAsync(string email, string password, string role)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true, LockoutEnabled = true };
            Check(await users.CreateAsync(user, password), email);
            logger.LogInformation("Created user {Email} ({Role})", email, role);
        }
        if (!await users.IsInRoleAsync(user, role))
            Check(await users.AddToRoleAsync(user, role), email);
        return user;
    }

    /// <summary>The one-time command: <c>SafeCities.Web create-admin you@city.gov</c> prints a generated password once.</summary>
    public async Task<string> CreateAdministratorAsync(string email)
    {
        if (await users.FindByEmailAsync(email) is not null)
            throw new InvalidOperationException($"{email} already exists.");
        var password = UserAdministration.NewPassword();
        var user = await EnsureUserAsync(email, password, Roles.Administrator);
        Check(await users.AddClaimAsync(user, new System.Security.Claims.Claim(PasswordChange.RequiredClaim, "1")), email);
        return password;
    }

    private static void Check(IdentityResult result, string email)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not provision {email}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
