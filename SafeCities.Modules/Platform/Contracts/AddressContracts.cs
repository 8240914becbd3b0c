namespace SafeCities.Modules.Platform.Contracts;

/// <summary>
/// One chunk (up to 500 lines) of the city's address points as CSV (header <c>number,street,latitude,longitude,place</c>, see
/// <c>AddressCsv</c>): valid lines are stored, each bad line is reported with its number and reason; an address already stored is refused,
/// so a file can be imported again. A chunk's points and its audit record commit together.
/// </summary>
public sealed record ImportAddressPointsCommand(string Header, int FirstLine, IReadOnlyList<string> Lines, string By) : ICommand<AddressImportResultDto>;

public sealed record AddressImportResultDto(int Imported, int Blank, IReadOnlyList<AddressRejectionDto> Rejected);

public sealed record AddressRejectionDto(int Line, string Reason);

/// <summary>
/// Where a point is, in words, from the city's own address points (no internet): the nearest street address within
/// <c>Addresses:StreetRadiusMeters</c> ("1200 Main St"), else "near" the nearest named place within <c>Addresses:PlaceRadiusMeters</c>
/// ("near Anacostia Park"), else null.
/// </summary>
public sealed record ReverseGeocodeQuery(double Latitude, double Longitude) : IQuery<string?>;

/// <summary>How many address points the city has (the import page shows it).</summary>
public sealed record CountAddressPointsQuery : IQuery<int>;

/// <summary>
/// The city's streets in a box, drawn from its own address points, for maps with no tile server (police networks are often air-gapped):
/// each street's points in house-number order, split where two are more than 250 m apart, smoothed across the two sides of the street and
/// simplified; and the named places in the box. Boxes are at most <c>0.25°</c> a side; a box with more than 60,000 address points answers
/// <see cref="StreetMapDto.Complete"/> false and draws nothing (zoom in).
/// </summary>
public sealed record GetStreetMapQuery(double South, double West, double North, double East) : IQuery<StreetMapDto>;

public sealed record StreetMapDto(bool Complete, IReadOnlyList<StreetLineDto> Streets, IReadOnlyList<MapPlaceDto> Places);

/// <param name="Points">[latitude, longitude] pairs along the street.</param>
public sealed record StreetLineDto(string Name, IReadOnlyList<double[]> Points);

public sealed record MapPlaceDto(string Name, double Latitude, double Longitude);
