using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Shared.Caching;
using SafeCities.Modules.Shared.Csv;
using SafeCities.Modules.Shared.Purposes;
using SafeCities.Modules.Shared.Security;
using SafeCities.Modules.Shared.Time;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;

namespace SafeCities.Modules.Intelligence;

internal sealed record RegisterAgencyRequest(string Name, string Kind, int? ReleaseHotlistDays = null, string? Sector = null, string? State = null,
    IReadOnlyList<string>? Functions = null, bool PartOfCity = false);

internal sealed record AgencySharingProfileRequest(string Sector, string? State = null, IReadOnlyList<string>? Functions = null, bool PartOfCity = false);

internal sealed record SharingRuleRequest(string Name, string DataClass, IReadOnlyList<string>? AllowedSectors = null, IReadOnlyList<string>? AllowedStates = null,
    IReadOnlyList<string>? DeniedFunctions = null, string? Citation = null, bool Enabled = true);

internal sealed record SharingAgreementRequest(Guid FromAgencyId, Guid ToAgencyId);

internal sealed record IngestRecordsRequest(IReadOnlyList<RecordInput> Records);

/// <summary>Body of <c>POST /api/v1/intelligence/agencies/{agencyId}/records-csv</c>: one chunk of a CSV file, the header repeated with every chunk.</summary>
internal sealed record ImportRecordsCsvRequest(string Header, int FirstLine, [property: CsvLines] IReadOnlyList<string> Lines);

internal sealed record AccessRuleRequest(string Role, string RecordKind, string Access, string Scope, bool IncludeSealed = false, Guid? AgencyId = null);

internal sealed record WatchlistRequest(string Name, Guid? PersonId = null, string? Plate = null, string? Criteria = null);

internal static class IntelligenceEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/intelligence").WithTags("Intelligence");

        api.MapPost("/agencies", async (RegisterAgencyRequest body, ISender sender, CancellationToken ct) =>
            {
                var agency = await sender.Send(new RegisterAgencyCommand(body.Name, body.Kind, body.ReleaseHotlistDays, body.Sector, body.State, body.Functions,
                    body.PartOfCity), ct);
                return TypedResults.Created($"/api/v1/intelligence/agencies/{agency.Id}", agency);
            })
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Register a partner agency (police, jail, prison, parole-probation, court) with what sharing rules look at: sector (public | private), "
                + "state (two letters; empty for a federal agency), functions (immigration-enforcement, federal-law-enforcement) and partOfCity. Issue its feed key with POST /api/v1/agencies/{id}/api-keys.")
            .Produces<AgencyDto>(StatusCodes.Status201Created).ProducesValidationProblem();
        api.MapPut("/agencies/{agencyId:guid}/sharing-profile", async Task<IResult> (Guid agencyId, AgencySharingProfileRequest body, ClaimsPrincipal user,
                    ISender sender, CancellationToken ct) =>
                await sender.Send(new SetAgencySharingProfileCommand(agencyId, body.Sector, body.State, body.Functions, body.PartOfCity, user.Actor()), ct) is { } agency
                    ? TypedResults.Ok(agency) : TypedResults.NotFound())
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("What sharing rules look at for an agency: sector (public | private), state (two letters; empty for federal), functions, partOfCity. Audited.")
            .Produces<AgencyDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/agencies", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListAgenciesQuery(), ct)))
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Registered partner agencies.");
        api.MapPost("/sharing-agreements", async (SharingAgreementRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(new { id = await sender.Send(new AddSharingAgreementCommand(body.FromAgencyId, body.ToAgencyId, user.Actor()), ct) }))
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Agency 'from' shares its records with analysts of agency 'to' (rules with scope 'shared'). Refused (400, naming the rule) when "
                + "agency 'to' breaks an enabled sharing rule.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/sharing-agreements", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListSharingAgreementsQuery(), ct)))
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Sharing agreements, each with the sharing rules its receiving agency breaks (blockedBy: its analysts' queries are refused).");

        api.MapGet("/sharing-rules", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListSharingRulesQuery(), ct)))
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Sharing rules: which agencies (sector, state, functions) may receive a data class. California's SB 34 is seeded, disabled.");
        api.MapPost("/sharing-rules", async (SharingRuleRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
            {
                var rule = await sender.Send(new SaveSharingRuleCommand(null, body.Name, body.DataClass, body.AllowedSectors, body.AllowedStates, body.DeniedFunctions,
                    body.Citation, body.Enabled, user.Actor()), ct);
                return TypedResults.Created($"/api/v1/intelligence/sharing-rules/{rule.Id}", rule);
            })
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Add a sharing rule (audited). Agreements to agencies it forbids show as blocked and their analysts' queries are refused.")
            .Produces<SharingRuleDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/sharing-rules/{id:guid}", async (Guid id, SharingRuleRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new SaveSharingRuleCommand(id, body.Name, body.DataClass, body.AllowedSectors, body.AllowedStates, body.DeniedFunctions,
                    body.Citation, body.Enabled, user.Actor()), ct)))
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Replace a sharing rule (audited with before and after).")
            .Produces<SharingRuleDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/sharing-rules/{id:guid}", async Task<IResult> (Guid id, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                await sender.Send(new DeleteSharingRuleCommand(id, user.Actor()), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Delete a sharing rule (audited with what it said).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        // Public (ADR 0041): the agencies that actually read data, per month, from the log of their reads. Names and counts only.
        app.MapGet("/transparency/agency-reads", async (int? months, ISender sender, IConfiguration config, TimeProvider clock, IMemoryCache cache,
                    CancellationToken ct) =>
            {
                var n = Math.Clamp(months ?? 12, 1, 24);
                return TypedResults.Ok(await cache.GetAsync(AgencyReadsFigures.CacheKey(n), async c =>
                {
                    var zone = CityZone.Id(config);
                    var (from, to) = MonthlyPeriod.Last(zone, clock.GetUtcNow(), n);
                    return await sender.Send(new GetAgencyReadsQuery(from, to, zone), c);
                }, ct));
            })
            .WithTags("Transparency").AllowAnonymous()
            .WithSummary("Public: per month (city time) the agencies that actually read data — computed from the log of every read by another agency, "
                + "not a hand-kept list — with reads and items per data class. 'months': 1 to 24 (default 12). Updated every 10 minutes.")
            .Produces<AgencyReadsDto>();

        api.MapPost("/records", async (IngestRecordsRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new IngestRecordsCommand(user.AgencyId()!.Value, user.Actor(), body.Records), ct)))
            .RequireAuthorization(Policies.AgencyFeeds)
            .WithSummary("Push this agency's records (persons, vehicles, bookings/releases, supervision, warrants, court cases, calls for service). "
                + "All or nothing: one invalid record answers 400 naming each failing line and field (records[3].person.dateOfBirth) and writes nothing. "
                + "Re-sending a sourceId updates that record.")
            .Produces<IngestResultDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapPost("/agencies/{agencyId:guid}/records-csv", async (Guid agencyId, ImportRecordsCsvRequest body, ClaimsPrincipal user, ISender sender,
                    CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ImportRecordsCsvCommand(agencyId, body.Header, body.FirstLine, body.Lines ?? [], user.Actor()), ct)))
            .RequireAuthorization(Policies.Administrators)
            .WithSummary($"Back-load one chunk (up to {ImportRecordsCsvCommand.MaxLines} lines) of an agency's records CSV on its behalf. Per-line acceptance: "
                + "valid lines are written (same ingestion as POST /records), each rejected line is listed with its number and reasons.")
            .Produces<CsvImportResultDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/search", async (string? caseNumber, string? offence, string? purpose, Guid? approvalId, string? name, string? dob, string? identifier,
                    string? plate, string? address, string? text, Guid? agency, string? kind, DateOnly? from, DateOnly? to, int? limit, ClaimsPrincipal user,
                    ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new SearchIntelligenceQuery(Viewer.Of(user), purpose, name, dob, identifier, plate, address, text, agency,
                    kind, from, to, limit ?? 25, caseNumber, offence, approvalId), ct)))
            .RequireAuthorization(Policies.People)
            .WithSummary("Forgiving search (name: trigram, sound-alike, aliases; dob: yyyy | yyyy-MM | yyyy-MM-dd; identifier; plate; address; text over narratives), "
                + "grouped by person, vehicle and record; only what the caller's access rules allow. " + PurposeDocs.Statement)
            .Produces<SearchResultDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/persons/{id:guid}", async Task<IResult> (Guid id, string? caseNumber, string? offence, string? purpose, Guid? approvalId, ClaimsPrincipal user,
                    ISender sender, CancellationToken ct) =>
                await sender.Send(new GetPersonQuery(Viewer.Of(user), id, purpose, caseNumber, offence, approvalId), ct) is { } person
                    ? TypedResults.Ok(person) : TypedResults.NotFound())
            .RequireAuthorization(Policies.People)
            .WithSummary("One person as the caller may see them: agency records with link evidence, vehicles, their plate sightings (from Plates, audited there "
                + "with the same statement) and incidents near them (access rule kinds 'plate-sighting' and 'incident'), timeline, link graph. "
                + PurposeDocs.Statement)
            .Produces<PersonDetailDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPost("/links/{identityId:guid}/confirm", async (Guid identityId, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ConfirmPersonLinkCommand(identityId, user.Actor()), ct)))
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("Confirm that an agency's person record belongs to the person it was linked to.");
        api.MapPost("/links/{identityId:guid}/split", async (Guid identityId, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new SplitPersonLinkCommand(identityId, user.Actor()), ct)))
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("Split an agency's person record (with that agency's records about it) off into a person of its own.")
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/access-rules", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListAccessRulesQuery(), ct)))
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Who sees what: rules per role, record kind and (optionally) agency.");
        api.MapPut("/access-rules", async (AccessRuleRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new SetAccessRuleCommand(body.Role, body.RecordKind, body.Access, body.Scope, body.IncludeSealed, body.AgencyId,
                    user.Actor()), ct)))
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Create or replace the rule for (role, recordKind, agencyId); access = full | summary | none.")
            .ProducesValidationProblem();

        api.MapPost("/watchlist", async (WatchlistRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new AddWatchlistEntryCommand(body.Name, body.PersonId, body.Plate, body.Criteria, user.Actor()), ct)))
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("Watch a person, a plate, or criteria (violent-offence-history, recidivist); releases of watched persons notify officers live.")
            .ProducesValidationProblem();
        api.MapGet("/watchlist", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListWatchlistQuery(), ct)))
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("The watchlist (entries that watch; removed ones are left out).");
        api.MapDelete("/watchlist/{id:guid}", async (Guid id, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new RemoveWatchlistEntryCommand(id, user.Actor()), ct)))
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("Stop watching: the entry is kept with who removed it and when (audited) and raises no more release notices. "
                + "404 for an unknown entry, 409 when it was already removed.")
            .Produces<WatchlistEntryDto>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/hotlist-requests", async (string? plate, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListHotlistRequestsQuery(plate), ct)))
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("Vehicles Intelligence asked Plates to hotlist (active warrants, released reoffenders) and their withdrawals.");
    }
}
