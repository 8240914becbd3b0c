using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform.Oversight;

/// <summary>Body of <c>POST/PUT /api/v1/oversight/cases</c>.</summary>
internal sealed record OversightCaseRequest(string? Technology = null, string? Kind = null, DateOnly? ReceivedOn = null, string? Summary = null,
    string? Status = null, string? Finding = null, string? Action = null, string? ActionNotes = null);

/// <summary>Body of <c>POST/PUT /api/v1/oversight/costs</c>.</summary>
internal sealed record TechnologyCostRequest(string? Technology = null, int? Year = null, string? Category = null, decimal? Amount = null,
    string? FundingSource = null);

/// <summary>Complaints, violations and costs per surveillance technology for the annual report (ADR 0052).</summary>
internal static class OversightEndpoints
{
    public static void MapOversightEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/oversight").WithTags("Oversight");
        api.MapGet("/cases", async (int? year, string? technology, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListOversightCasesQuery(year, technology), ct)))
            .RequireAuthorization(Policies.AuditReviewers)
            .WithSummary("Complaints and violations recorded by oversight, newest first, with their summaries (not public: the annual report shows counts and outcomes).")
            .Produces<IReadOnlyList<OversightCaseDto>>().ProducesValidationProblem();
        api.MapPost("/cases", async (OversightCaseRequest b, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
            {
                var saved = await sender.Send(new SaveOversightCaseCommand(null, b.Technology, b.Kind, b.ReceivedOn, b.Summary, b.Status, b.Finding, b.Action,
                    b.ActionNotes, user.Actor()), ct);
                return TypedResults.Created($"/api/v1/oversight/cases/{saved.Id}", saved);
            })
            .RequireAuthorization(Policies.OversightBody)
            .WithSummary("Record a complaint or a violation of a technology's use policy (oversight only; audited). A closed case needs a finding and an action.")
            .Produces<OversightCaseDto>(StatusCodes.Status201Created).ProducesValidationProblem();
        api.MapPut("/cases/{id:guid}", async (Guid id, OversightCaseRequest b, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new SaveOversightCaseCommand(id, b.Technology, b.Kind, b.ReceivedOn, b.Summary, b.Status, b.Finding, b.Action,
                    b.ActionNotes, user.Actor()), ct)))
            .RequireAuthorization(Policies.OversightBody)
            .WithSummary("Change a case, e.g. close it with its finding and action (oversight only; audited with before and after). Cases are never deleted.")
            .Produces<OversightCaseDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/costs", async (int? year, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListTechnologyCostsQuery(year), ct)))
            .RequireAuthorization(Policies.AuditReviewers)
            .WithSummary("Cost lines per technology and year (category, amount in US dollars, funding source), as the annual report shows them.")
            .Produces<IReadOnlyList<TechnologyCostDto>>().ProducesValidationProblem();
        api.MapPost("/costs", async (TechnologyCostRequest b, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
            {
                var saved = await sender.Send(new SaveTechnologyCostCommand(null, b.Technology, b.Year, b.Category, b.Amount, b.FundingSource, user.Actor()), ct);
                return TypedResults.Created($"/api/v1/oversight/costs/{saved.Id}", saved);
            })
            .RequireAuthorization(Policies.AuditReviewers)
            .WithSummary("Add a cost line (administrators and oversight; audited): one per technology, year, category and funding source.")
            .Produces<TechnologyCostDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/costs/{id:guid}", async (Guid id, TechnologyCostRequest b, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new SaveTechnologyCostCommand(id, b.Technology, b.Year, b.Category, b.Amount, b.FundingSource, user.Actor()), ct)))
            .RequireAuthorization(Policies.AuditReviewers)
            .WithSummary("Change a cost line (audited with before and after).")
            .Produces<TechnologyCostDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/costs/{id:guid}", async Task<IResult> (Guid id, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                await sender.Send(new DeleteTechnologyCostCommand(id, user.Actor()), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .RequireAuthorization(Policies.AuditReviewers)
            .WithSummary("Delete a cost line (audited with what it said).")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
