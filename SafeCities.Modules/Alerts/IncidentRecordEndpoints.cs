using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Features;
using SafeCities.Modules.Shared.Csv;
using SafeCities.Modules.Shared.Security;
using SafeCities.Modules.Shared.Time;

namespace SafeCities.Modules.Alerts;

internal sealed record CloseIncidentRequest(string? Outcome = null, string? Notes = null);

internal sealed record IncidentNoteRequest(string? Text = null);

internal sealed record ReopenIncidentRequest(string? Notes = null);

internal sealed record CorrectIncidentRequest(string? Kind = null, double? Latitude = null, double? Longitude = null, string? Reason = null);

/// <summary>Query string of the incident history (the page, the API and both exports share it).</summary>
internal sealed class IncidentHistoryRequest
{
    [FromQuery] public DateTimeOffset? From { get; set; }
    [FromQuery] public DateTimeOffset? To { get; set; }
    [FromQuery] public string? Kind { get; set; }
    [FromQuery] public string? Status { get; set; }
    [FromQuery] public string? Outcome { get; set; }
    [FromQuery] public string? District { get; set; }
    [FromQuery] public double? Latitude { get; set; }
    [FromQuery] public double? Longitude { get; set; }
    [FromQuery] public double? RadiusMeters { get; set; }
    [FromQuery] public double? South { get; set; }
    [FromQuery] public double? West { get; set; }
    [FromQuery] public double? North { get; set; }
    [FromQuery] public double? East { get; set; }
    [FromQuery] public int? Page { get; set; }
    [FromQuery] public int? PageSize { get; set; }

    public SearchIncidentHistoryQuery ToQuery(int? pageSize = null) => new(From, To, Empty(Kind), Empty(Status), Empty(Outcome), Latitude, Longitude,
        RadiusMeters, South, West, North, East, pageSize is null ? Page ?? 1 : 1, pageSize ?? PageSize ?? 25, Empty(District));

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}

/// <summary>Close with an outcome, reopen, notes, the status history, and the incident history with its CSV and GeoJSON exports.</summary>
internal static class IncidentRecordEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/incidents").WithTags("Incidents");
        api.MapGet("/outcomes", () => TypedResults.Ok(IncidentOutcomes.ByKind))
            .RequireAuthorization(Policies.IncidentHistoryReaders)
            .WithSummary("The outcomes one may close an incident with, per kind (\"*\" = any other kind).");
        api.MapPost("/{id:guid}/close", async (Guid id, CloseIncidentRequest? b, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new CloseIncidentCommand(id, user.Actor(), b?.Outcome, b?.Notes), ct)))
            .RequireAuthorization(Policies.IncidentResponders)
            .WithSummary("open | acknowledged → closed with an outcome of the incident's kind (see /outcomes) and optional notes (≤ 2,000 characters); "
                         + "409 when already closed. Kept in the status history.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id:guid}/reopen", async (Guid id, ReopenIncidentRequest? b, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ReopenIncidentCommand(id, user.Actor(), b?.Notes), ct)))
            .RequireAuthorization(Policies.IncidentResponders)
            .WithSummary("closed → open (409 from any other state); the earlier outcome stays in the status history.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id:guid}/notes", async (Guid id, IncidentNoteRequest b, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new AddIncidentNoteCommand(id, user.Actor(), b.Text), ct)))
            .RequireAuthorization(Policies.CommandStaff)
            .WithSummary("A note by staff (plain text, ≤ 2,000 characters): kept, put on the timeline and audited.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:guid}/record", async Task<IResult> (Guid id, ISender sender, CancellationToken ct) =>
                await sender.Send(new GetIncidentRecordQuery(id), ct) is { } record ? TypedResults.Ok(record) : TypedResults.NotFound())
            .RequireAuthorization(Policies.IncidentHistoryReaders)
            .WithSummary("The incident's notes and its status history (who, when, from → to, outcome, notes), oldest first.")
            .Produces<IncidentRecordDto>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/{id:guid}/corrections", async (Guid id, CorrectIncidentRequest b, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new CorrectIncidentCommand(id, user.Actor(), b.Kind, b.Latitude, b.Longitude, b.Reason), ct)))
            .RequireAuthorization(Policies.IncidentResponders)
            .WithSummary("Changes the incident's kind and/or location with a reason; each change is kept (who, when, before → after), audited, and "
                         + "counted on the precision pages when made after the incident was closed. 409 when a closed incident's outcome does not fit the new kind.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/precision", async (DateTimeOffset? from, DateTimeOffset? to, IConfiguration config, TimeProvider clock, ISender sender,
                CancellationToken ct) =>
            {
                var until = to ?? clock.GetUtcNow();
                return TypedResults.Ok(await sender.Send(new GetAlertPrecisionQuery(from ?? until.AddDays(-365), until, CityZone.Id(config)), ct));
            })
            .RequireAuthorization(Policies.IncidentHistoryReaders)
            .WithSummary("Per month (city time), kind and source: alerts, attended, outcomes, precision (share with evidence) with its Wilson 95 % "
                         + "interval, and the after-the-fact corrections, for incidents opened in [from, to) (default: the last 365 days).")
            .Produces<AlertPrecisionDto>()
            .ProducesValidationProblem();

        api.MapGet("/history", async ([AsParameters] IncidentHistoryRequest q, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(q.ToQuery(), ct)))
            .RequireAuthorization(Policies.IncidentHistoryReaders)
            .WithSummary("Every incident (or one status) opened in [from, to), of a kind, with an outcome, near a point (latitude, longitude, "
                         + "radiusMeters, default 500 m) or inside a box (south, west, north, east), newest first; page (from 1) and pageSize (25).")
            .ProducesValidationProblem();
        api.MapGet("/history.csv", async ([AsParameters] IncidentHistoryRequest q, ISender sender, CancellationToken ct) =>
            {
                var page = await sender.Send(q.ToQuery(SearchIncidentHistoryQueryValidator.MaxPageSize), ct);
                return TypedResults.File(Encoding.UTF8.GetBytes(Csv(page.Items)), "text/csv", "incident-history.csv");
            })
            .RequireAuthorization(Policies.IncidentHistoryReaders)
            .WithSummary("The same filter as CSV (all pages, at most 10,000 rows; times ISO 8601 UTC; text cells starting =, +, - or @ are prefixed with ').")
            .ProducesValidationProblem();
        api.MapGet("/history.geojson", async ([AsParameters] IncidentHistoryRequest q, ISender sender, CancellationToken ct) =>
            {
                var page = await sender.Send(q.ToQuery(SearchIncidentHistoryQueryValidator.MaxPageSize), ct);
                return TypedResults.File(JsonSerializer.SerializeToUtf8Bytes(GeoJson(page.Items), JsonSerializerOptions.Web), "application/geo+json",
                    "incident-history.geojson");
            })
            .RequireAuthorization(Policies.IncidentHistoryReaders)
            .WithSummary("The same filter as a GeoJSON FeatureCollection of points (at most 10,000 features).")
            .ProducesValidationProblem();
    }

    internal static string Csv(IEnumerable<IncidentDto> incidents)
    {
        var csv = new StringBuilder("id,kind,status,title,latitude,longitude,opened_at,last_activity_at,rounds,detections,source,acknowledged_at,"
                                    + "acknowledged_by,closed_at,closed_by,outcome,outcome_label,outcome_notes,district\n");
        static string At(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "";
        foreach (var i in incidents)
            csv.Append(CultureInfo.InvariantCulture,
                $"{i.Id},{CsvCell.Text(i.Kind)},{CsvCell.Text(i.Status)},{CsvCell.Text(i.Title)},{i.Latitude:0.000000},{i.Longitude:0.000000},{At(i.OpenedAt)},"
                + $"{At(i.LastActivityAt)},{i.Rounds},{i.Detections},{CsvCell.Text(i.Source)},{At(i.AcknowledgedAt)},{CsvCell.Text(i.AcknowledgedBy)},"
                + $"{At(i.ClosedAt)},{CsvCell.Text(i.ClosedBy)},{CsvCell.Text(i.Outcome)},{CsvCell.Text(IncidentOutcomes.Label(i.Kind, i.Outcome))},"
                + $"{CsvCell.Text(i.OutcomeNotes)},{CsvCell.Text(i.District)}\n");
        return csv.ToString();
    }

    internal static object GeoJson(IEnumerable<IncidentDto> incidents) => new
    {
        type = "FeatureCollection",
        features = incidents.Select(i => new
        {
            type = "Feature",
            id = i.Id,
            geometry = new { type = "Point", coordinates = new[] { i.Longitude, i.Latitude } },
            properties = new
            {
                i.Kind, i.Status, i.Title, i.OpenedAt, i.LastActivityAt, i.Rounds, i.Detections, i.Source, i.AcknowledgedAt, i.AcknowledgedBy, i.ClosedAt,
                i.ClosedBy, i.Outcome, OutcomeLabel = i.Outcome is null ? null : IncidentOutcomes.Label(i.Kind, i.Outcome), i.OutcomeNotes, i.District,
            },
        }),
    };
}
