using NetTopologySuite.Geometries;

namespace SafeCities.Modules.Platform.Addresses;

/// <summary>
/// One of the city's address points (imported by administrators): a house number on a street, a named place (a park, a school), or both.
/// <see cref="Key"/> (number, street and place, lower case) is unique, so importing a file twice stores nothing twice.
/// </summary>
internal sealed class AddressPoint
{
    public Guid Id { get; init; }
    public string? Number { get; init; }
    public string? Street { get; init; }
    public string? Place { get; init; }
    public required string Key { get; init; }
    public double Latitude { get; init; }
    public double Longitude { get; init; }
    public required Point Location { get; init; }
    public DateTimeOffset ImportedAt { get; init; }
    public required string ImportedBy { get; init; }

    /// <summary>"1200 Main St" (or the street alone when the point has no number).</summary>
    public static string StreetAddress(string? number, string street) => string.IsNullOrEmpty(number) ? street : $"{number} {street}";
}

/// <summary>Configuration section <c>Addresses</c>: how far reverse geocoding looks.</summary>
internal sealed class AddressOptions
{
    public const string Section = "Addresses";
    /// <summary>A street address is given when an address point is at most this far from the point.</summary>
    public double StreetRadiusMeters { get; set; } = 150;
    /// <summary>Otherwise "near" the nearest named place at most this far.</summary>
    public double PlaceRadiusMeters { get; set; } = 2000;
}
