using SafeCities.Modules.Shared.Text;

namespace SafeCities.Modules.Sensors.Environment;

/// <summary>What an environmental sensor measures: air quality, seismic, wind, noise, water.</summary>
internal static class EnvironmentalKinds
{
    public const string AirQuality = "air-quality";
    public const string Seismic = "seismic";
    public const string Wind = "wind";
    public const string Noise = "noise";
    public const string Water = "water";

    public static readonly IReadOnlyList<string> All = [AirQuality, Seismic, Wind, Noise, Water];
}

/// <summary>
/// One quantity a reading may carry: its code in the body (<c>"quantity"</c>), the kind it belongs to, its unit as a UCUM code (the only unit
/// accepted: a reading that names another unit is refused, never converted silently) and the range a working sensor can report — a value
/// outside it is a fault, refused with the reason.
/// </summary>
/// <param name="Unit">The UCUM code devices and the APIs use ("ug/m3").</param>
/// <param name="Name">The short name people read ("PM2.5"); <paramref name="Label"/> says it in full.</param>
/// <param name="Symbol">The unit as people write it ("µg/m³").</param>
internal sealed record EnvironmentalQuantity(string Code, string Kind, string Unit, string Label, double Min, double Max, string Name, string Symbol)
{
    /// <summary>A value as people read it: "PM2.5 60.2 µg/m³", "Leak 1".</summary>
    public string Text(double value) => $"{Name} {Measurement.Text(value)}{Symbol switch { "" => "", "°" => "°", _ => " " + Symbol }}";
}

internal static class EnvironmentalQuantities
{
    public static readonly IReadOnlyList<EnvironmentalQuantity> All =
    [
        new("pm2_5", EnvironmentalKinds.AirQuality, "ug/m3", "PM2.5 (fine particles)", 0, 1000, "PM2.5", "µg/m³"),
        new("pm10", EnvironmentalKinds.AirQuality, "ug/m3", "PM10 (coarse particles)", 0, 2000, "PM10", "µg/m³"),
        new("o3", EnvironmentalKinds.AirQuality, "[ppm]", "Ozone", 0, 1, "O₃", "ppm"),
        new("no2", EnvironmentalKinds.AirQuality, "[ppb]", "Nitrogen dioxide", 0, 3000, "NO₂", "ppb"),
        new("co", EnvironmentalKinds.AirQuality, "[ppm]", "Carbon monoxide", 0, 200, "CO", "ppm"),
        new("so2", EnvironmentalKinds.AirQuality, "[ppb]", "Sulphur dioxide", 0, 2000, "SO₂", "ppb"),
        new("pga", EnvironmentalKinds.Seismic, "[g]", "Peak ground acceleration", 0, 4, "PGA", "g"),
        new("wind_speed", EnvironmentalKinds.Wind, "m/s", "Wind speed", 0, 100, "Wind", "m/s"),
        new("wind_gust", EnvironmentalKinds.Wind, "m/s", "Wind gust", 0, 120, "Gust", "m/s"),
        new("wind_direction", EnvironmentalKinds.Wind, "deg", "Wind direction (from, clockwise from north)", 0, 360, "Wind from", "°"),
        new("wind_shear", EnvironmentalKinds.Wind, "/s", "Vertical wind shear (speed difference per metre of height between two anemometers)", 0, 5, "Wind shear", "1/s"),
        new("noise_laeq", EnvironmentalKinds.Noise, "dB", "Noise LAeq (A-weighted equivalent level)", 0, 160, "LAeq", "dB"),
        new("noise_lmax", EnvironmentalKinds.Noise, "dB", "Noise Lmax", 0, 180, "Lmax", "dB"),
        new("pipe_pressure", EnvironmentalKinds.Water, "kPa", "Pipe pressure", 0, 3000, "Pipe pressure", "kPa"),
        new("flow", EnvironmentalKinds.Water, "L/s", "Flow", 0, 50_000, "Flow", "L/s"),
        new("leak", EnvironmentalKinds.Water, "{flag}", "Leak detected (1) or not (0)", 0, 1, "Leak", ""),
        new("water_level", EnvironmentalKinds.Water, "m", "Flood / water level", -20, 50, "Water level", "m"),
    ];

    private static readonly Dictionary<string, EnvironmentalQuantity> ByCode = All.ToDictionary(q => q.Code, StringComparer.Ordinal);

    public static EnvironmentalQuantity? Find(string? code) => code is not null && ByCode.TryGetValue(code, out var q) ? q : null;

    /// <summary>Why a reading of <paramref name="code"/> with <paramref name="value"/> (and an optional unit) cannot be stored, or null.</summary>
    public static string? Refusal(string? code, double value, string? unit)
    {
        if (Find(code) is not { } q)
            return $"'{code}' is not a quantity; one of: {string.Join(", ", All.Select(x => x.Code))}.";
        if (unit is not null && unit != q.Unit)
            return $"{q.Code} is reported in {q.Unit} (UCUM); '{unit}' is not accepted.";
        if (double.IsNaN(value) || value < q.Min || value > q.Max)
            return $"{value} {q.Unit} is not a plausible {q.Label.ToLowerInvariant()} ({q.Min} to {q.Max} {q.Unit}); a faulty sensor?";
        if (q.Code == "leak" && value is not (0 or 1))
            return "leak is 1 (a leak) or 0 (none).";
        return null;
    }
}
