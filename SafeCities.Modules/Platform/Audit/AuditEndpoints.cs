using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Platform.Contracts;
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
                var csv = new StringBuilder("id,at,actor,module,action,purpose,details\n");
                foreach (var e in review.Entries)
                    csv.Append(CultureInfo.InvariantCulture, $"{e.Id},{e.At.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ},{Cell(e.Actor)},{Cell(e.Module)},{Cell(e.Action)},{Cell(e.Purpose)},{Cell(e.Details)}\n");
                return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"audit-{review.From:yyyyMMdd}-{review.To:yyyyMMdd}.csv");
            })
            .WithSummary("The same entries as CSV (at most 5000 per file; page with 'before').")
            .ProducesValidationProblem();
    }

    private static string Cell(string? value) => CsvCell.Text(value);
}
