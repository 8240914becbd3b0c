using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Shared.Csv;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Intelligence.Analysis;

internal sealed record NearRepeatRequest(string Type, DateTimeOffset From, DateTimeOffset To, double? SpatialBandwidthMeters, int? SpatialBands,
    int? TemporalBandwidthDays, int? TemporalBands, int? Permutations, int? Seed, double? South, double? West, double? North, double? East,
    string? District)
{
    public RunNearRepeatQuery ToQuery() => new(Type, From, To, SpatialBandwidthMeters ?? 100, SpatialBands ?? 3, TemporalBandwidthDays ?? 7,
        TemporalBands ?? 3, Permutations ?? 99, Seed, South, West, North, East, District);
}

internal sealed record GunfireReportingRequest(DateTimeOffset From, DateTimeOffset To, double? MaxMeters, double? MinutesBefore, double? MinutesAfter,
    string[]? CallType)
{
    public GetGunfireReportingQuery ToQuery() => new(From, To, MaxMeters ?? 300, MinutesBefore ?? 5, MinutesAfter ?? 30, CallType);
}

internal static class AnalysisEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/intelligence/analysis").WithTags("Intelligence analysis");
        api.MapGet("/types", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListAnalysisTypesQuery(), ct)))
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("Event types the analyses read: incident kinds and call-for-service types ('call:shots fired'), with counts.");
        api.MapGet("/near-repeat", async ([AsParameters] NearRepeatRequest q, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(q.ToQuery(), ct)))
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("Knox near-repeat test (Near Repeat Calculator bands: same location, (0, b), [b, 2b)… metres Manhattan × [0, t), [t, 2t)… days) "
                + "on one type's events in [from, to), optionally in a box (south, west, north, east) and/or a district; at most 2,000 events and 999 permutations; seed makes it repeatable.")
            .Produces<NearRepeatResultDto>().ProducesValidationProblem();
        api.MapGet("/trends", async (string? type, string? district, int? weeks, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetTrendsQuery(type, district, weeks ?? 12), ct)))
            .RequireAuthorization(Policies.CommandStaff)
            .WithSummary("Hour × weekday counts (city time), week-over-week and year-over-year changes per district and type, weekly series and current spikes.")
            .Produces<TrendsDto>().ProducesValidationProblem();
        api.MapGet("/gunfire-reporting", async ([AsParameters] GunfireReportingRequest q, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(q.ToQuery(), ct)))
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("Sensor-detected gunfire joined with gunfire calls for service (callType repeatable; default the configured list) within maxMeters "
                + "(300) and minutesBefore (5) / minutesAfter (30): share with no call per district and hour of day.")
            .Produces<GunfireReportingDto>().ProducesValidationProblem();
        api.MapGet("/gunfire-reporting.csv", async ([AsParameters] GunfireReportingRequest q, ISender sender, CancellationToken ct) =>
                TypedResults.File(Encoding.UTF8.GetBytes(Csv(await sender.Send(q.ToQuery(), ct))), "text/csv", "gunfire-reporting.csv"))
            .RequireAuthorization(Policies.IntelligenceAnalysts)
            .WithSummary("The same as CSV: district, hour (city time), detected, without_call, unreported_share.")
            .ProducesValidationProblem();
    }

    internal static string Csv(GunfireReportingDto r)
    {
        var csv = new StringBuilder($"district,hour_{r.TimeZone.Replace('/', '_')},detected,without_call,unreported_share\n");
        foreach (var c in r.Cells)
            csv.Append(CultureInfo.InvariantCulture, $"{CsvCell.Text(c.District)},{c.Hour},{c.Detected},{c.WithoutCall},{c.UnreportedShare:0.####}\n");
        return csv.ToString();
    }
}
