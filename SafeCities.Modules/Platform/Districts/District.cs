using NetTopologySuite.Geometries;

namespace SafeCities.Modules.Platform.Districts;

/// <summary>
/// One police district of the city (imported by administrators as GeoJSON): its <see cref="Code"/> is what users' district claims and
/// incidents carry, its <see cref="Name"/> what pages show, its <see cref="Boundary"/> a WGS 84 multipolygon (PostGIS geometry, GiST index).
/// </summary>
internal sealed class District
{
    public Guid Id { get; init; }
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required MultiPolygon Boundary { get; init; }
    public DateTimeOffset ImportedAt { get; init; }
    public required string ImportedBy { get; init; }
}
