using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Security;
using SafeCities.Modules.Shared.Time;

namespace SafeCities.Modules.Plates;

/// <summary>Body of <c>POST /api/v1/plates/hits/{id}/decision</c>.</summary>
internal sealed record HitDecisionRequest(string? Decision = null, string? Reason = null, string? Notes = null);

/// <summary>Confirming or rejecting a hit, its reasons, and the hit statistics (ADR 0043).</summary>
internal static class HitAdjudicationEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/hits/decision-reasons", () => TypedResults.Ok(new { confirmed = HitDecisionReasons.Confirm, rejected = HitDecisionReasons.Reject }))
            .RequireAuthorization(Policies.CommandStaff)
            .WithSummary("The reasons one may confirm or reject a hit with (\"other\" needs notes).");
        api.MapPost("/hits/{id:guid}/decision", async (Guid id, HitDecisionRequest b, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new DecideHotlistHitCommand(id, b.Decision, b.Reason, b.Notes, user.Actor(),
                    user.IsInAnyRole(Roles.Analysts)), ct)))
            .RequireAuthorization(Policies.IncidentResponders)
            .WithSummary("Confirms or rejects an unconfirmed hit: decision = confirmed | rejected with a reason of /hits/decision-reasons (notes for "
                         + "\"other\"). Audited; final (the same decision again is a no-op, another one 409). A rejected hit closes its incident.")
            .Produces<HotlistHitDto>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/hits/statistics", async (DateTimeOffset? from, DateTimeOffset? to, IConfiguration config, TimeProvider clock, ISender sender,
                CancellationToken ct) =>
            {
                var until = to ?? clock.GetUtcNow();
                return TypedResults.Ok(await sender.Send(new GetHitStatisticsQuery(from ?? until.AddDays(-365), until, CityZone.Id(config)), ct));
            })
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Reads, hits, confirmed and rejected (by reason) per month (city time), reader, list and match kind in [from, to) (default: the "
                         + "last 365 days); per reader the misread rate, flagged when high (Plates:Hotlists:MisreadFlagRate).")
            .Produces<HitStatisticsDto>()
            .ProducesValidationProblem();
    }
}
