using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using System.Security.Claims;
using System.Text.Json;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Platform.Data;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Caching;
using SafeCities.Modules.Shared.Persistence;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform.Districts;

internal sealed class ImportDistrictsCommandValidator : AbstractValidator<ImportDistrictsCommand>
{
    public ImportDistrictsCommandValidator()
    {
        RuleFor(c => c.CodeProperty).NotEmpty().MaximumLength(60);
        RuleFor(c => c.NameProperty).NotEmpty().MaximumLength(60);
        RuleFor(c => c.GeoJson).Custom((json, context) =>
        {
            if (context.InstanceToValidate is { CodeProperty.Length: > 0, NameProperty.Length: > 0 } c)
                foreach (var error in DistrictGeoJson.Parse(json, c.CodeProperty, c.NameProperty).Errors)
                    context.AddFailure("geoJson", error);
        });
        RuleFor(c => c.By).NotEmpty();
    }
}

/// <summary>Replaces all districts with the file's (one transaction, audited). Incidents keep the district code they were given.</summary>
internal sealed class ImportDistrictsCommandHandler(PlatformDbContext db, TimeProvider clock, CacheInvalidation cache) : ICommandHandler<ImportDistrictsCommand, int>
{
    public async ValueTask<int> Handle(ImportDistrictsCommand command, CancellationToken cancellationToken)
    {
        var (districts, _) = DistrictGeoJson.Parse(command.GeoJson, command.CodeProperty, command.NameProperty);
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLocks.DistrictImport})", cancellationToken);
        var replaced = await db.Districts.ExecuteDeleteAsync(cancellationToken);
        db.Districts.AddRange(districts.Select(d => new District
        {
            Id = Guid.CreateVersion7(), Code = d.Code, Name = d.Name, Boundary = d.Boundary, ImportedAt = now, ImportedBy = command.By,
        }));
        await db.SaveChangesAsync(cancellationToken);
        await db.AuditAsync(command.By, "Platform", "districts.imported", null,
            new { imported = districts.Count, replaced, codes = districts.Select(d => d.Code).ToList() }, now, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        await cache.InvalidateAsync(ListDistrictsQueryHandler.DisplayCacheKey);
        return districts.Count;
    }
}

/// <summary>
/// The districts as imported, or as maps draw them: simplified once per import and node (a detailed file takes a noticeable moment, and every
/// map of the app, the public's too, asks for them), cached until the next import.
/// </summary>
internal sealed class ListDistrictsQueryHandler(PlatformDbContext db, CacheInvalidation cache) : IQueryHandler<ListDistrictsQuery, IReadOnlyList<DistrictDto>>
{
    public const string DisplayCacheKey = "platform:districts:display";

    public async ValueTask<IReadOnlyList<DistrictDto>> Handle(ListDistrictsQuery query, CancellationToken cancellationToken) =>
        query.ForDisplay
            ? await cache.GetOrLoadAsync<PlatformDbContext, IReadOnlyList<DistrictDto>>(DisplayCacheKey, TimeSpan.FromHours(1),
                (context, ct) => ListAsync(context, forDisplay: true, ct), cancellationToken)
            : await ListAsync(db, forDisplay: false, cancellationToken);

    private static async Task<IReadOnlyList<DistrictDto>> ListAsync(PlatformDbContext db, bool forDisplay, CancellationToken ct) =>
        (await db.Districts.AsNoTracking().OrderBy(d => d.Code).ToListAsync(ct))
        .Select(d => new DistrictDto(d.Id, d.Code, d.Name, DistrictGeoJson.Coordinates(d.Boundary, forDisplay), d.ImportedAt, d.ImportedBy)).ToList();
}

internal sealed class GetDistrictNamesQueryHandler(PlatformDbContext db) : IQueryHandler<GetDistrictNamesQuery, IReadOnlyDictionary<string, string>>
{
    public async ValueTask<IReadOnlyDictionary<string, string>> Handle(GetDistrictNamesQuery query, CancellationToken cancellationToken) =>
        new SortedDictionary<string, string>(
            await db.Districts.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.Name, StringComparer.Ordinal, cancellationToken), StringComparer.Ordinal);
}

internal sealed class LocateDistrictsQueryValidator : AbstractValidator<LocateDistrictsQuery>
{
    public const int MaxPoints = 100_000;

    public LocateDistrictsQueryValidator()
    {
        RuleFor(q => q.Points).NotNull().Must(p => p is null || p.Count <= MaxPoints).WithMessage($"At most {MaxPoints:N0} points per query.");
        RuleForEach(q => q.Points).NotNull().ChildRules(p =>
        {
            p.RuleFor(x => x.Latitude).InclusiveBetween(-90, 90);
            p.RuleFor(x => x.Longitude).InclusiveBetween(-180, 180);
        });
    }
}

/// <summary>One statement for all points (arrays unnested, a GiST-indexed point-in-polygon per point); the lowest code wins on a shared edge.</summary>
internal sealed class LocateDistrictsQueryHandler(PlatformDbContext db) : IQueryHandler<LocateDistrictsQuery, IReadOnlyList<string?>>
{
    public async ValueTask<IReadOnlyList<string?>> Handle(LocateDistrictsQuery query, CancellationToken cancellationToken)
    {
        if (query.Points.Count == 0)
            return [];
        var lats = query.Points.Select(p => p.Latitude).ToArray();
        var lons = query.Points.Select(p => p.Longitude).ToArray();
        var found = await db.Database.SqlQuery<LocatedRow>($"""
            SELECT p.i::int AS "Index", d.code AS "Code"
            FROM unnest({lats}::double precision[], {lons}::double precision[]) WITH ORDINALITY AS p(lat, lon, i)
            CROSS JOIN LATERAL (SELECT code FROM platform.districts
                                WHERE ST_Covers(boundary, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)) ORDER BY code LIMIT 1) d
            """).ToListAsync(cancellationToken);
        var codes = new string?[query.Points.Count];
        foreach (var row in found)
            codes[row.Index - 1] = row.Code;
        return codes;
    }

    private sealed record LocatedRow(int Index, string Code);
}

/// <summary>Body of <c>PUT /api/v1/districts</c>: the GeoJSON file and which feature properties hold each district's code and name.</summary>
internal sealed record ImportDistrictsRequest(JsonElement GeoJson, string? CodeProperty, string? NameProperty);

internal static class DistrictEndpoints
{
    public static IEndpointRouteBuilder MapDistrictEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/districts").WithTags("Districts");
        api.MapPut("/", async (ImportDistrictsRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(new { imported = await sender.Send(
                    new ImportDistrictsCommand(body.GeoJson, body.CodeProperty ?? "code", body.NameProperty ?? "name", user.Actor()), ct) }))
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Replace the city's police districts with a GeoJSON FeatureCollection (Polygon/MultiPolygon, WGS 84); all or nothing, each problem named.")
            .ProducesValidationProblem();
        api.MapGet("/", async (ISender sender, CancellationToken ct) =>
                FeatureCollection(await sender.Send(new ListDistrictsQuery(), ct), d => new { d.Code, d.Name, d.ImportedAt, d.ImportedBy }))
            .RequireAuthorization(Policies.People)
            .WithSummary("The city's police districts as a GeoJSON FeatureCollection (code and name in each feature's properties).");
        // Every map of the app draws them when no tile server is configured, the public's too (police districts are public record): without
        // tiles, a map zoomed out to the city showed nothing to find one's way by.
        api.MapGet("/outlines", async (HttpContext http, ISender sender, CancellationToken ct) =>
            {
                http.Response.Headers.CacheControl = "public, max-age=300";
                return FeatureCollection(await sender.Send(new ListDistrictsQuery(ForDisplay: true), ct), d => new { d.Code, d.Name });
            })
            .AllowAnonymous()
            .WithSummary("The districts' codes, names and boundaries only (GeoJSON), simplified for drawing (within about a metre), for maps without a tile server; open to everyone.");
        return app;
    }

    /// <summary>The districts as a GeoJSON FeatureCollection, each feature's properties as the caller chooses.</summary>
    private static IResult FeatureCollection(IEnumerable<DistrictDto> districts, Func<DistrictDto, object> properties) =>
        TypedResults.Json(new
        {
            type = "FeatureCollection",
            features = districts.Select(d => new
            {
                type = "Feature", id = d.Id, properties = properties(d), geometry = new { type = "MultiPolygon", coordinates = d.Coordinates },
            }),
        }, contentType: "application/geo+json");
}
