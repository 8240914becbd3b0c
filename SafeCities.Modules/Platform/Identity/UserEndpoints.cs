using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform.Identity;

internal sealed record CreateUserRequest(string? Email, string? Role, string? District = null, Guid? AgencyId = null);

internal sealed record UserRolesRequest(IReadOnlyList<string>? Roles);

internal sealed record AgencyOfUserRequest(Guid? AgencyId);

internal sealed record DistrictOfUserRequest(string? District);

/// <summary>
/// People's accounts for administrators (the Users page uses the same <see cref="UserAdministration"/>). Bad input: 400 per field; unknown
/// user: 404; a duplicate email or a refused change (locking or demoting yourself or the last administrator, resetting your own second
/// factor): 409.
/// </summary>
internal static class UserEndpoints
{
    public static void MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/users").WithTags("Users").RequireAuthorization(Policies.Administrators);
        api.MapGet("/", async (UserAdministration admin, CancellationToken ct) => TypedResults.Ok(await admin.ListAsync(null, ct)))
            .WithSummary("Every person's account: email, roles, agency, district, whether it is locked, whether two-factor sign-in is on.");
        api.MapGet("/{email}", async Task<IResult> (string email, UserAdministration admin, CancellationToken ct) =>
                await admin.ListAsync(email, ct) is [var user] ? TypedResults.Ok(user) : TypedResults.NotFound())
            .WithSummary("One person's account.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/", async (CreateUserRequest body, ClaimsPrincipal user, UserAdministration admin, CancellationToken ct) =>
            {
                var password = await admin.CreateAsync(user, body.Email, body.Role, body.District, body.AgencyId, ct);
                var email = body.Email!.Trim();
                return TypedResults.Created($"/api/v1/users/{Uri.EscapeDataString(email)}", new { email, role = body.Role, password });
            })
            .WithSummary("Create a person's account with one role (optionally a district and a partner agency). The generated one-time password is in "
                + "the answer and shown only once; 409 if the email already has an account.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/{email}/roles", async (string email, UserRolesRequest body, ClaimsPrincipal user, UserAdministration admin, CancellationToken ct) =>
            {
                await admin.SetRolesAsync(user, email, body.Roles, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Replace a person's roles; their open sessions end (they sign in again with the new roles). 409 when it would take the "
                + "Administrator role from yourself or from the last unlocked administrator.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{email}/password-reset", async (string email, ClaimsPrincipal user, UserAdministration admin, CancellationToken ct) =>
                TypedResults.Ok(new { password = await admin.ResetPasswordAsync(user, email, ct) }))
            .WithSummary("Give a person a new generated one-time password (shown only once); their open sessions end.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{email}/mfa-reset", async (string email, ClaimsPrincipal user, UserAdministration admin, CancellationToken ct) =>
            {
                await admin.ResetMfaAsync(user, email, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Turn off a person's two-factor sign-in and forget their authenticator key and recovery codes (lost or new phone); their "
                + "open sessions end and they set it up again at their next sign-in. 409 for your own account.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{email}/lock", async (string email, ClaimsPrincipal user, UserAdministration admin, CancellationToken ct) =>
            {
                await admin.LockAsync(user, email, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Lock an account until unlocked; their open sessions end. 409 for yourself or the last unlocked administrator.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{email}/unlock", async (string email, ClaimsPrincipal user, UserAdministration admin, CancellationToken ct) =>
            {
                await admin.UnlockAsync(user, email, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Unlock an account (also clears failed sign-in attempts).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{email}/agency", async (string email, AgencyOfUserRequest body, ClaimsPrincipal user, UserAdministration admin, CancellationToken ct) =>
            {
                await admin.SetAgencyAsync(user, email, body.AgencyId, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Make a user a member of a partner agency (null: of none); their searches then follow that agency's sharing agreements.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{email}/district", async (string email, DistrictOfUserRequest body, ClaimsPrincipal user, UserAdministration admin, CancellationToken ct) =>
            {
                await admin.SetDistrictAsync(user, email, body.District, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Set the police district a user serves (null or empty: none). Release notices for that district reach them live on the "
                + "incident board from their next sign-in.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }
}
