using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Shared.Csv;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Lighting;

/// <summary>Body of <c>POST /api/v1/lighting/streetlights/import</c>: one chunk of a CSV file, the header repeated with every chunk.</summary>
internal sealed record ImportStreetlightsRequest(string Header, int FirstLine, [property: CsvLines] IReadOnlyList<string> Lines);

/// <summary>Body of <c>POST /api/v1/lighting/faults</c> (TALQ fault vocabulary).</summary>
internal sealed record ReportFaultsRequest(IReadOnlyList<StreetlightFaultReport> Faults);

internal sealed record ReactionSettingsRequest(IReadOnlyList<string> TriggerKinds, int RadiusMeters, int LevelPercent, int DurationMinutes);

internal static class LightingEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/lighting").WithTags("Lighting");
        api.MapPost("/streetlights/import", async (ImportStreetlightsRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ImportStreetlightsCommand(body.Header, body.FirstLine, body.Lines, user.Actor()), ct)))
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Import one chunk (up to 500 lines) of a streetlight CSV; valid lines are imported, each bad line is reported with its number and reason.")
            .Produces<StreetlightImportResultDto>()
            .ProducesValidationProblem();
        api.MapPost("/faults", async (ReportFaultsRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ReportStreetlightFaultsCommand(user.DeviceId(), body.Faults, user.Actor()), ct)))
            .RequireAuthorization(LightingDeviceKinds.StreetlightDevicesPolicy)
            .WithSummary("A streetlight reports its faults (device key): active opens a work order (one per light and kind), cleared closes it.")
            .Produces<StreetlightFaultsResultDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/work-orders", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListOpenWorkOrdersQuery(), ct)))
            .RequireAuthorization(Policies.CommandStaff)
            .WithSummary("Open maintenance work orders (lights out).")
            .Produces<IReadOnlyList<WorkOrderDto>>();
        api.MapGet("/settings", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetLightingReactionSettingsQuery(), ct)))
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("How Lighting reacts to incidents: trigger kinds, radius, level, duration.")
            .Produces<LightingReactionSettingsDto>();
        api.MapPut("/settings", async (ReactionSettingsRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new UpdateLightingReactionSettingsCommand(body.TriggerKinds, body.RadiusMeters, body.LevelPercent,
                    body.DurationMinutes, user.Actor()), ct)))
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Change the reaction settings (radius 10–2000 m, level 1–100 %, duration 1–240 min); audited.")
            .Produces<LightingReactionSettingsDto>()
            .ProducesValidationProblem();
        api.MapGet("/incidents/{id:guid}", async Task<IResult> (Guid id, ISender sender, CancellationToken ct) =>
                await sender.Send(new GetIncidentLightingQuery(id), ct) is { } lighting ? TypedResults.Ok(lighting) : TypedResults.NotFound())
            .RequireAuthorization(Policies.CommandStaff)
            .WithSummary("What Lighting did about an incident: the decision and each light raised, restored or failed.")
            .Produces<IncidentLightingDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
