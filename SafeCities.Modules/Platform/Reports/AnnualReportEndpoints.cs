using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Time;

namespace SafeCities.Modules.Platform.Reports;

internal static class AnnualReportEndpoints
{
    public static void MapAnnualReportEndpoints(this IEndpointRouteBuilder app) =>
        // Public (ADR 0045): counts only; a year out of range is a 400 ProblemDetails from the query's validator.
        app.MapGet("/api/v1/transparency/reports/{year}", async (int year, IConfiguration config, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetAnnualReportQuery(year, CityZone.Id(config)), ct)))
            .WithTags("Transparency").AllowAnonymous()
            .WithSummary("The annual surveillance report of a calendar year (city time): per technology, devices by district, data collected, " +
                         "retention, the deletion log with its audit anchors, searches, alerts and their precision. The figures of /Transparency/Reports/{year}.")
            .ProducesValidationProblem();
}
