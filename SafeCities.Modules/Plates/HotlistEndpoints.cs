using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Csv;
using SafeCities.Modules.Shared.Purposes;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Plates;

internal sealed record CreateHotlistRequest(string? Name = null, string? Kind = null, string? AlertLevel = null, string? Reason = null, string? Owner = null,
    string? Visibility = null, DateTimeOffset? ExpiresAt = null);

internal sealed record AddHotlistEntryRequest(string? Plate = null, string? Region = null, string? Reason = null, string? Reference = null,
    string? Description = null, DateTimeOffset? ExpiresAt = null);

internal sealed record HotlistImportChunkRequest(string? Header = null, int? FirstLine = null,
    [property: CsvLines] IReadOnlyList<string>? Lines = null);

internal sealed record ColocationRequest(IReadOnlyList<ColocationPlaceDto>? Incidents = null, int? RadiusMeters = null, int? WindowMinutes = null,
    int? MinIncidents = null, string? Purpose = null, string? CaseNumber = null, string? Offence = null, Guid? ApprovalId = null);

/// <summary>Hotlists, hits and the analysts' search (its audit is reviewed at <c>/api/v1/audit</c>).</summary>
internal static class HotlistEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/hotlists", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListHotlistsQuery(), ct)))
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("Every hotlist with its active entry count.");
        api.MapPost("/hotlists", async (CreateHotlistRequest b, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
            {
                var list = await sender.Send(new CreateHotlistCommand(b.Name, b.Kind, b.AlertLevel, b.Reason, b.Owner, b.Visibility, b.ExpiresAt, user.Actor()), ct);
                return TypedResults.Created($"/api/v1/plates/hotlists/{list.Id}", list);
            })
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("A new hotlist (kind agency, ncic-stolen, ncic-wanted, amber or missing-person; alert level; reason; owner; visibility).")
            .ProducesValidationProblem();
        api.MapGet("/hotlists/{id:guid}/entries", async (Guid id, HttpContext http, ISender sender, CancellationToken ct, int page = 1) =>
            {
                var entries = await sender.Send(new ListHotlistEntriesQuery(id, page), ct);
                if (entries.Count == ListHotlistEntriesQuery.PageSize)   // there may be more: RFC 8288's next link
                    http.Response.Headers.Link = $"</api/v1/plates/hotlists/{id}/entries?page={page + 1}>; rel=\"next\"";
                return TypedResults.Ok(entries);
            })
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary($"A hotlist's entries by plate, withdrawn ones included with their withdrawal time, {ListHotlistEntriesQuery.PageSize} a page " +
                         "(?page=2…); a full page carries a Link header to the next.")
            .ProducesValidationProblem();
        api.MapPost("/hotlists/{id:guid}/entries", async (Guid id, AddHotlistEntryRequest b, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
            {
                var entry = await sender.Send(new AddHotlistEntryCommand(id, b.Plate, b.Region, b.Reason, b.Reference, b.Description, b.ExpiresAt, user.Actor()), ct);
                return entry.AlreadyListed ? Results.Ok(entry) : Results.Created($"/api/v1/plates/hotlists/{id}/entries/{entry.Id}", entry);
            })
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("Lists a plate (wildcards * and ? allowed) and checks it against the last days of reads; retroactiveHits counts what that found. " +
                         "A plate already on the list (same region): the same details again answer 200 with that entry (alreadyListed), other " +
                         "details 409 until it is withdrawn.")
            .Produces<HotlistEntryDto>(StatusCodes.Status201Created).Produces<HotlistEntryDto>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/hotlists/entries/{entryId:guid}", async (Guid entryId, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new WithdrawHotlistEntryCommand(entryId, user.Actor()), ct)))
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("Withdraws an entry: it stops matching at once (its hits stay).");
        // A signed-in form post needs the page's antiforgery token like every other cookie-authenticated change (checked for all endpoints by the host).
        api.MapPost("/hotlists/{id:guid}/import", async (Guid id, HttpRequest request, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
            {
                string csv;
                if (request.HasFormContentType)
                {
                    var form = await request.ReadFormAsync(ct);
                    if (form.Files.GetFile("file") is not { } file)
                        return Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Send the CSV as the form field 'file'."] });
                    using var reader = new StreamReader(file.OpenReadStream());
                    csv = await reader.ReadToEndAsync(ct);
                }
                else
                {
                    using var reader = new StreamReader(request.Body);
                    csv = await reader.ReadToEndAsync(ct);
                }
                return TypedResults.Ok(await sender.Send(new ImportHotlistCommand(id, csv, user.Actor()), ct));
            })
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("Replaces the list's entries with a CSV extract (NCIC columns LIC, LIS, MKE, NIC, VMA, VCO, EXP or plate, region, reason, " +
                         "reference, make, colour, expires_at), atomically; rejected lines come back with their line number and reason.")
            .Produces<HotlistImportDto>()
            .ProducesValidationProblem();

        api.MapPost("/hotlists/{id:guid}/imports", async (Guid id, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
            {
                var started = await sender.Send(new StartHotlistImportCommand(id, user.Actor()), ct);
                return TypedResults.Created($"/api/v1/plates/hotlists/imports/{started.ImportId}", started);
            })
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("Starts a chunked import of an extract into the list (what the Hotlists page does): send the file's lines in chunks, then commit.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/hotlists/imports/{importId:guid}/lines", async (Guid importId, HotlistImportChunkRequest b, ClaimsPrincipal user, ISender sender,
                CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new StageHotlistImportCommand(importId, b.Header, b.FirstLine ?? 0, b.Lines, user.Actor()), ct)))
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("One chunk ({ header, firstLine, lines }, at most 1000 lines): validated and staged now; rejected lines come back with their reasons. " +
                         "Resending a chunk returns its first outcome.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/hotlists/imports/{importId:guid}/commit", async (Guid importId, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new CommitHotlistImportCommand(importId, user.Actor()), ct)))
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("Replaces the list's entries with every accepted staged line, atomically, then checks the new plates against past reads.")
            .Produces<HotlistImportDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/hits", async (string? plate, int? limit, bool? retroactive, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListHotlistHitsQuery(user.IsInAnyRole(Roles.Analysts), plate, limit ?? 200, retroactive), ct)))
            .RequireAuthorization(Policies.CommandStaff)
            .WithSummary("Hotlist hits, newest first, with their match kind; restricted lists' reasons only for administrators, commanders and analysts. " +
                         "retroactive=true: only past-read hits (found when a plate was listed; these open no incident), false: only live hits.");
        api.MapPost("/hits/{id:guid}/release", async (Guid id, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ReleaseHotlistHitCommand(id, user.Actor()), ct)))
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Releases a hit from evidence hold; the retention purge may then delete it.");
        HitAdjudicationEndpoints.Map(api); // confirm / reject, reasons, statistics

        api.MapGet("/search", async ([AsParameters] PlateSearchRequest q, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(q.ToCommand(user), ct)))
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("Search of the reads, audited with its terms before it runs. " + PurposeDocs.Statement)
            .Produces<PlateSearchResultDto>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPost("/colocation", async (ColocationRequest b, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ColocationCommand(user.Actor(), user.AgencyId(), b.Purpose, b.Incidents, b.RadiusMeters ?? 300, b.WindowMinutes ?? 15,
                    b.MinIncidents ?? 2, CaseNumber: b.CaseNumber, Offence: b.Offence, ApprovalId: b.ApprovalId), ct)))
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("Vehicles seen within radiusMeters and ±windowMinutes of at least minIncidents of the places, ranked by how unusual that is " +
                         "given each reader's normal traffic. " + PurposeDocs.Statement)
            .Produces<ColocationResultDto>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
    }
}

/// <summary>Query string of <c>GET /api/v1/plates/search</c>.</summary>
internal sealed class PlateSearchRequest
{
    [FromQuery] public string? CaseNumber { get; init; }
    [FromQuery] public string? Offence { get; init; }
    [FromQuery] public string? Purpose { get; init; }
    [FromQuery] public Guid? ApprovalId { get; init; }
    [FromQuery] public string? Plate { get; init; }
    [FromQuery] public bool? Tolerant { get; init; }
    [FromQuery] public string? Region { get; init; }
    [FromQuery] public DateTimeOffset? From { get; init; }
    [FromQuery] public DateTimeOffset? To { get; init; }
    [FromQuery] public double? Latitude { get; init; }
    [FromQuery] public double? Longitude { get; init; }
    [FromQuery] public int? RadiusMeters { get; init; }
    [FromQuery] public string? Polygon { get; init; }
    [FromQuery] public string? Make { get; init; }
    [FromQuery] public string? Color { get; init; }
    [FromQuery] public int? Limit { get; init; }

    public SearchPlateReadsCommand ToCommand(ClaimsPrincipal user) => new(user.Actor(), user.AgencyId(), Purpose, Plate, Tolerant ?? false, Region, From, To, Latitude, Longitude,
        RadiusMeters, Polygon, Make, Color, Limit ?? 500, CaseNumber, Offence, ApprovalId);
}
