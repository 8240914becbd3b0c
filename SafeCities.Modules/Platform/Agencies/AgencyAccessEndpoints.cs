using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Platform.ApiKeys;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform.Agencies;

internal sealed record AgencyKeyRequest(string Name);

/// <summary>Ties machine clients to a partner agency (registered in Intelligence): feed keys. People join an agency through <see cref="Identity.UserEndpoints"/>.</summary>
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
    }
}
