using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Purposes;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform.Approvals;

internal sealed record DecideSearchApprovalRequest(bool? Approve = null, string? Reason = null);

/// <summary>What a look-up must state (<c>GET /api/v1/purposes</c>) as the pages and API clients read it.</summary>
internal sealed record PurposeRulesDto(string CaseNumberPattern, string CaseNumberExample, IReadOnlyList<string> Offences, IReadOnlyList<string> Sensitive,
    int ApprovalValidMinutes);

/// <summary>The statement rules, and the approval queue: commanders decide, requesters follow their requests (ADR 0047).</summary>
internal static class SearchApprovalEndpoints
{
    public static void MapSearchApprovalEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/purposes", (IOptions<PurposeOptions> options) =>
            {
                var o = options.Value;
                return TypedResults.Ok(new PurposeRulesDto(o.CaseNumberPattern, o.CaseNumberExample, o.Offences, o.Sensitive, o.ApprovalValidMinutes));
            })
            .RequireAuthorization(Policies.People).WithTags("Purposes")
            .WithSummary("What a search or record view must state: the case-number format with an example, the offence categories, the sensitive " +
                         "terms that need a commander's approval, and how long an approval may be used (once).");

        var api = app.MapGroup("/api/v1/search-approvals").WithTags("Purposes");
        api.MapGet("/", async (string? status, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListSearchApprovalsQuery(status is "all" ? null : status ?? SearchApprovalStatuses.Pending), ct)))
            .RequireAuthorization(Policies.SearchApprovers)
            .WithSummary("The commanders' queue: look-ups waiting for approval (status=pending, the default), or approved, denied, used, all.")
            .ProducesValidationProblem();
        api.MapGet("/mine", async (ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListSearchApprovalsQuery(null, user.Actor(), 50), ct)))
            .RequireAuthorization(Policies.People)
            .WithSummary("The caller's own approval requests, newest first, with their status and the commander's reason.");
        api.MapGet("/{id:guid}", async Task<IResult> (Guid id, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                await sender.Send(new GetSearchApprovalQuery(id, user.Actor(), user.IsInAnyRole(Roles.Commanders)), ct) is { } a
                    ? TypedResults.Ok(a) : TypedResults.NotFound())
            .RequireAuthorization(Policies.People)
            .WithSummary("One request: its status (pending, approved, denied, used, expired), the decision and its reason. Its requester and commanders.")
            .Produces<SearchApprovalDto>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id:guid}/decision", async (Guid id, DecideSearchApprovalRequest b, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new DecideSearchApprovalCommand(id, user.Actor(), b.Approve, b.Reason), ct)))
            .RequireAuthorization(Policies.SearchApprovers)
            .WithSummary("Approve ({\"approve\": true, \"reason\": …}) or deny a waiting request, with a reason; never one's own (403); a request " +
                         "decided already answers 409. Audited.")
            .Produces<SearchApprovalDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
