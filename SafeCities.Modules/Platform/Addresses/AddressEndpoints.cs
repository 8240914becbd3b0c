using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Csv;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform.Addresses;

/// <summary>Body of <c>POST /api/v1/addresses/import</c>: one chunk of a CSV file, the header repeated with every chunk.</summary>
internal sealed record ImportAddressPointsRequest(string Header, int FirstLine, [property: CsvLines] IReadOnlyList<string> Lines);

internal static class AddressEndpoints
{
    public static IEndpointRouteBuilder MapAddressEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/addresses").WithTags("Addresses");
        api.MapPost("/import", async (ImportAddressPointsRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ImportAddressPointsCommand(body.Header, body.FirstLine, body.Lines, user.Actor()), ct)))
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Import one chunk (up to 500 lines) of the city's address points (number,street,latitude,longitude,place); each bad line is reported.")
            .Produces<AddressImportResultDto>()
            .ProducesValidationProblem();
        api.MapGet("/reverse", async (double latitude, double longitude, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(new { address = await sender.Send(new ReverseGeocodeQuery(latitude, longitude), ct) }))
            .RequireAuthorization(Policies.CommandStaff)
            .WithSummary("The street address of a point from the city's address points (within 150 m), else \"near\" the nearest named place, else null.")
            .ProducesValidationProblem();
        // Every map of the app draws it when no tile server is configured, the public's too (the address register is public record).
        api.MapGet("/streets", async (double south, double west, double north, double east, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                http.Response.Headers.CacheControl = "public, max-age=300";
                return TypedResults.Ok(await sender.Send(new GetStreetMapQuery(south, west, north, east), ct));
            })
            .AllowAnonymous()
            .WithSummary("The streets (drawn through the city's address points) and named places in a box of at most 0.25° a side, for maps without a tile server.")
            .Produces<StreetMapDto>()
            .ProducesValidationProblem();
        return app;
    }
}

internal static class AddressSetup
{
    public static IServiceCollection AddAddresses(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration config) =>
        services.Configure<AddressOptions>(config.GetSection(AddressOptions.Section));
}
