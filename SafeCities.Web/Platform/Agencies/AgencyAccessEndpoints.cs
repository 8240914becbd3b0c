using System.Security.Claims;
using Mediator;
using Microsoft.AspNetCore.Identity;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Security;
using SafeCities.Web.Platform.ApiKeys;

namespace SafeCities.Web.Platform.Agencies;

internal sealed record AgencyKeyRequest(string Name);

/// <summary>Ties machine clients and people to a partner agency (registered in Intelligence): feed keys and the agency claim on users.</summary>
internal static class AgencyAccessEndpoints
{
    public static void MapAgencyAccessEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/agencies/{agencyId:guid}/api-keys", async Task<IResult> (Guid agencyId, AgencyKeyRequest body, ClaimsPrincipal user, ISender sender,
                    ApiKeyService keys, CancellationToken ct) =>
            {
                if (await sender.Send(new GetAgencyQuery(agencyId), ct) is not { } agency)
                    return TypedResults.NotFound();
                if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 120)
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["'Name' must be 1 to 120 characters."] });
                var key = await keys.CreateAgencyFeedKeyAsync(agency.Id, body.Name.Trim(), user.Actor(), ct);
                return TypedResults.Created($"/api/v1/intelligence/agencies/{agency.Id}", new { agencyId = agency.Id, apiKey = key });
            })
            .WithTags("Intelligence")
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Issue a records-feed API key for a partner agency (shown once, stored hashed); it may only push that agency's records.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        app.MapPut("/api/v1/users/{email}/agency", async Task<IResult> (string email, AgencyOfUserRequest body, ISender sender, UserManager<IdentityUser> users,
                    CancellationToken ct) =>
            {
                var user = await users.FindByEmailAsync(email);
                if (user is null)
                    return TypedResults.NotFound();
                if (body.AgencyId is { } id && await sender.Send(new GetAgencyQuery(id), ct) is null)
                    throw new DomainRuleException("No such agency.", 404);
                await AgencyClaims.SetAsync(users, user, body.AgencyId);
                return TypedResults.NoContent();
            })
            .WithTags("Intelligence")
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Make a user a member of a partner agency (null: of none); their searches then follow that agency's sharing agreements.");
        app.MapPut("/api/v1/users/{email}/district", async Task<IResult> (string email, DistrictOfUserRequest body, ClaimsPrincipal admin,
                    UserManager<IdentityUser> users, PlatformDbContext db, TimeProvider clock, CancellationToken ct) =>
            {
                var district = body.District?.Trim();
                if (district is { Length: > 40 })
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["district"] = ["'District' must be at most 40 characters."] });
                var user = await users.FindByEmailAsync(email);
                if (user is null)
                    return TypedResults.NotFound();
                foreach (var claim in (await users.GetClaimsAsync(user)).Where(c => c.Type == Policies.DistrictClaim))
                    await users.RemoveClaimAsync(user, claim);
                if (!string.IsNullOrEmpty(district))
                    await users.AddClaimAsync(user, new Claim(Policies.DistrictClaim, district));
                await db.AuditAsync(admin.Actor(), "Platform", "set-user-district", null, new { email, district }, clock.GetUtcNow(), ct);
                return TypedResults.NoContent();
            })
            .WithTags("Intelligence")
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Set the police district a user serves (null or empty: none). Release notices for that district reach them live on the "
                + "incident board from their next sign-in.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }
}

internal sealed record AgencyOfUserRequest(Guid? AgencyId);

internal sealed record DistrictOfUserRequest(string? District);

internal static class AgencyClaims
{
    public static async Task SetAsync(UserManager<IdentityUser> users, IdentityUser user, Guid? agencyId)
    {
        foreach (var claim in (await users.GetClaimsAsync(user)).Where(c => c.Type == Policies.AgencyIdClaim))
            await users.RemoveClaimAsync(user, claim);
        if (agencyId is { } id)
            await users.AddClaimAsync(user, new Claim(Policies.AgencyIdClaim, id.ToString()));
    }
}
