using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using SafeCities.AuditVerify;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Csv;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform.Audit;

/// <summary>The audit log for administrators and oversight: JSON for tools, CSV for the board's own analysis.</summary>
internal static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/audit").WithTags("Audit").RequireAuthorization(Policies.AuditReviewers);
        api.MapGet("/", async ([AsParameters] AuditReviewRequest q, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(q.ToQuery(user.Actor()), ct)))
            .WithSummary("Audit entries newest first (who, when, module, action, purpose, details) with per-day counts; 'before' pages back. " +
                         "Administrators and oversight; the review is itself audited.")
            .ProducesValidationProblem();
        api.MapGet("/export", async ([AsParameters] AuditReviewRequest q, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
            {
                var review = await sender.Send(q.ToQuery(user.Actor(), 5000), ct);
                var csv = Csv(review.Entries);
                return TypedResults.File(Encoding.UTF8.GetBytes(csv), "text/csv", $"audit-{review.From:yyyyMMdd}-{review.To:yyyyMMdd}.csv");
            })
            .WithSummary("The same entries as CSV with each entry's prev_hash and hash (at most 5000 per file; page with 'before'). " +
                         "An unfiltered export can be checked with scripts/audit-verify against /transparency/audit-anchors.")
            .ProducesValidationProblem();
        api.MapGet("/chain", async (long? after, int? limit, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
            {
                var entries = await sender.Send(new ExportAuditChainQuery(user.Actor(), after ?? 0, limit ?? 5000), ct);
                return TypedResults.File(Encoding.UTF8.GetBytes(Csv(entries)), "text/csv",
                    entries.Count == 0 ? "audit-chain-empty.csv" : $"audit-chain-{entries[0].Id}-{entries[^1].Id}.csv");
            })
            .WithSummary("The hash chain for verification: every entry after id 'after' (default 0) in chain order, unfiltered, at most 'limit' " +
                         "(default 5000, at most 50000), as CSV with prev_hash and hash. Check it with scripts/audit-verify FILE.csv against " +
                         "/transparency/audit-anchors; page on with after = the last id.")
            .ProducesValidationProblem();

        // Public: the signed daily anchors of the audit hash chain and the key to check them (ADR 0046). Hashes and signatures only, no entry.
        app.MapGet("/transparency/audit-anchors", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetAuditAnchorsQuery(), ct)))
            .WithTags("Audit").AllowAnonymous()
            .WithSummary("The audit log's signed daily anchors (day, last entry id, its hash, Ed25519 signature) and the public key; " +
                         "scripts/audit-verify EXPORT.csv THIS.json checks an export against them.");

        // Public (ADR 0055): a UTC day's list of the agencies that read data, with the digest its anchor signed. Names and counts only.
        app.MapGet("/transparency/agency-reads/{day}", async Task<IResult> (string day, ISender sender, CancellationToken ct) =>
                DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                    ? TypedResults.Ok(await sender.Send(new GetAgencyReadsDayFileQuery(d), ct))
                    : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["day"] = ["'day' must be a UTC day written yyyy-MM-dd."] }))
            .WithTags("Transparency").AllowAnonymous()
            .WithSummary("Public: the agencies that read data in one UTC day (yyyy-MM-dd, 2020 to today), per agency and data class with reads and items, " +
                         "from the log of their reads; the digest of the list now and the one the day's anchor signed. Keep it and check it later with " +
                         "scripts/audit-verify --agency-reads THIS.json ANCHORS.json. Updated every 10 minutes.")
            .Produces<AgencyReadsDayFileDto>().ProducesValidationProblem();
    }

    /// <summary>
    /// The export's CSV: prev_hash and hash let anyone check it with scripts/audit-verify; 'at' is written to the microsecond as the hash
    /// took it (AuditChainFormat.At).
    /// </summary>
    private static string Csv(IEnumerable<AuditEntryDto> entries)
    {
        var csv = new StringBuilder("id,at,actor,module,action,purpose,details,prev_hash,hash\n");
        foreach (var e in entries)
            csv.Append(CultureInfo.InvariantCulture,
                $"{e.Id},{AuditChainFormat.At(e.At)},{Cell(e.Actor)},{Cell(e.Module)},{Cell(e.Action)},{Cell(e.Purpose)},{Cell(e.Details)},{e.PrevHash},{e.Hash}\n");
        return csv.ToString();
    }

    private static string Cell(string? value) => CsvCell.Text(value);
}
