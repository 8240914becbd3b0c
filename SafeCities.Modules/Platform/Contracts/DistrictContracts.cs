using System.Text.Json;

namespace SafeCities.Modules.Platform.Contracts;

/// <summary>
/// Replaces the city's police districts with those of a GeoJSON <c>FeatureCollection</c> (Polygon or MultiPolygon features, WGS 84), the
/// district's code and name read from the named feature properties. All or nothing: any bad feature refuses the whole file, each problem
/// named with the feature's number. The code is what users' district claims and incidents carry (e.g. "7"), the name what pages show.
/// </summary>
public sealed record ImportDistrictsCommand(JsonElement GeoJson, string CodeProperty, string NameProperty, string By) : ICommand<int>;

/// <summary>
/// The city's police districts with their boundaries (GeoJSON MultiPolygon coordinates: polygons → rings → [longitude, latitude]), as
/// imported; <paramref name="ForDisplay"/>: as a map draws them — no vertex that moves the line by less than about a metre, positions to
/// 6 decimals (a decimetre) — a fraction of a detailed file's size for every map a phone opens.
/// </summary>
public sealed record ListDistrictsQuery(bool ForDisplay = false) : IQuery<IReadOnlyList<DistrictDto>>;

/// <summary>The city's police districts by code → name (what pages and notices show for the code incidents and analyses carry), without
/// their boundaries; in the order of their codes.</summary>
public sealed record GetDistrictNamesQuery : IQuery<IReadOnlyDictionary<string, string>>;

public static class DistrictNames
{
    /// <summary>What a page or a notice calls a district code: its name, the code itself for a district no longer imported, and "Outside
    /// every district" for none.</summary>
    public static string NameOf(this IReadOnlyDictionary<string, string> names, string? code) =>
        code is null ? "Outside every district" : names.GetValueOrDefault(code, code);
}

public sealed record DistrictDto(Guid Id, string Code, string Name, double[][][][] Coordinates, DateTimeOffset ImportedAt, string ImportedBy);

/// <summary>
/// The code of the district each point lies in (same order as <paramref name="Points"/>; null outside every district), at most
/// 100,000 points in one query. Incidents get theirs when they open or move; analyses group by it.
/// </summary>
public sealed record LocateDistrictsQuery(IReadOnlyList<DistrictPointDto> Points) : IQuery<IReadOnlyList<string?>>;

public sealed record DistrictPointDto(double Latitude, double Longitude);
