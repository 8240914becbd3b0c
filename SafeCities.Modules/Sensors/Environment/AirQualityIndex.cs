namespace SafeCities.Modules.Sensors.Environment;

/// <summary>An AQI value with its category and the pollutant that set it.</summary>
internal sealed record AqiValue(int Index, string Category, string Pollutant);

/// <summary>
/// The US Air Quality Index (40 CFR Part 58, Appendix G, Table 2 as revised in 2024: PM2.5 "good" ends at 9.0 µg/m³ and 301–500 is one
/// "hazardous" range). Each pollutant's concentration is truncated to the table's precision, located in its breakpoint row and interpolated
/// linearly: I = (I_hi − I_lo)/(C_hi − C_lo) × (C − C_lo) + I_lo, rounded to the nearest integer. Ozone uses the 8-hour rows up to
/// 0.200 ppm and the 1-hour rows above; SO2 the 1-hour rows up to 304 ppb and the 24-hour rows above. Above the table's top the index is
/// 500 ("beyond the index"). The platform applies it to the latest reading (a "current" index, not the regulatory daily average).
/// </summary>
internal static class AirQualityIndex
{
    private static readonly (int Lo, int Hi, string Category)[] Indexes =
    [
        (0, 50, "Good"), (51, 100, "Moderate"), (101, 150, "Unhealthy for sensitive groups"), (151, 200, "Unhealthy"),
        (201, 300, "Very unhealthy"), (301, 500, "Hazardous"),
    ];

    /// <summary>Per pollutant: decimals kept, and the concentration rows (low, high) of the six categories (null: no row for that category).</summary>
    private static readonly Dictionary<string, (int Decimals, (double Lo, double Hi)?[] Rows)> Tables = new(StringComparer.Ordinal)
    {
        ["pm2_5"] = (1, [(0.0, 9.0), (9.1, 35.4), (35.5, 55.4), (55.5, 125.4), (125.5, 225.4), (225.5, 325.4)]),
        ["pm10"] = (0, [(0, 54), (55, 154), (155, 254), (255, 354), (355, 424), (425, 604)]),
        ["o3-8h"] = (3, [(0.000, 0.054), (0.055, 0.070), (0.071, 0.085), (0.086, 0.105), (0.106, 0.200), null]),
        ["o3-1h"] = (3, [null, null, (0.125, 0.164), (0.165, 0.204), (0.205, 0.404), (0.405, 0.604)]),
        ["co"] = (1, [(0.0, 4.4), (4.5, 9.4), (9.5, 12.4), (12.5, 15.4), (15.5, 30.4), (30.5, 50.4)]),
        ["so2"] = (0, [(0, 35), (36, 75), (76, 185), (186, 304), (305, 604), (605, 1004)]),
        ["no2"] = (0, [(0, 53), (54, 100), (101, 360), (361, 649), (650, 1249), (1250, 2049)]),
    };

    public static bool Covers(string quantity) => quantity is "pm2_5" or "pm10" or "o3" or "co" or "so2" or "no2";

    /// <summary>The index of one pollutant's concentration (in the catalogue's unit), or null when the quantity is not an AQI pollutant.</summary>
    public static AqiValue? Of(string quantity, double concentration)
    {
        if (!Covers(quantity) || concentration < 0)
            return null;
        var table = quantity == "o3" ? Truncate(concentration, 3) <= 0.200 ? "o3-8h" : "o3-1h" : quantity;
        var (decimals, rows) = Tables[table];
        var c = Truncate(concentration, decimals);
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i] is not var (lo, hi) || c > hi)
                continue;
            // A value between two rows' bounds (e.g. 9.05 truncated to 9.0 never happens; 0.2005 ppm O3 does) takes the upper row.
            var (iLo, iHi, category) = Indexes[i];
            var index = c < lo ? iLo : (int)Math.Round((iHi - iLo) / (hi - lo) * (c - lo) + iLo, MidpointRounding.AwayFromZero);
            return new AqiValue(index, category, quantity);
        }
        return new AqiValue(500, "Hazardous", quantity);
    }

    /// <summary>The overall index: the highest of the pollutants' (its pollutant is the dominant one); null when none is an AQI pollutant.</summary>
    public static AqiValue? Overall(IEnumerable<(string Quantity, double Value)> latest) =>
        latest.Select(r => Of(r.Quantity, r.Value)).OfType<AqiValue>().MaxBy(a => a.Index);

    private static double Truncate(double value, int decimals)
    {
        var scale = Math.Pow(10, decimals);
        return Math.Floor(value * scale + 1e-9) / scale;
    }
}
