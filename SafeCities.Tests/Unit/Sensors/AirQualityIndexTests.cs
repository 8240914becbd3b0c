using SafeCities.Modules.Sensors.Environment;

namespace SafeCities.Tests.Unit.Sensors;

/// <summary>The US AQI against the EPA breakpoint table (40 CFR 58 Appendix G, Table 2, 2024 revision): every row's bounds, truncation, the dominant pollutant.</summary>
public sealed class AirQualityIndexTests
{
    // Each pollutant's rows (low, high) for AQI 0–50, 51–100, 101–150, 151–200, 201–300, 301–500, as the table prints them.
    public static TheoryData<string, double, int> Boundaries()
    {
        var data = new TheoryData<string, double, int>();
        var indexes = new[] { (0, 50), (51, 100), (101, 150), (151, 200), (201, 300), (301, 500) };
        var rows = new Dictionary<string, (double Lo, double Hi)[]>
        {
            ["pm2_5"] = [(0.0, 9.0), (9.1, 35.4), (35.5, 55.4), (55.5, 125.4), (125.5, 225.4), (225.5, 325.4)],
            ["pm10"] = [(0, 54), (55, 154), (155, 254), (255, 354), (355, 424), (425, 604)],
            ["co"] = [(0.0, 4.4), (4.5, 9.4), (9.5, 12.4), (12.5, 15.4), (15.5, 30.4), (30.5, 50.4)],
            ["so2"] = [(0, 35), (36, 75), (76, 185), (186, 304), (305, 604), (605, 1004)],
            ["no2"] = [(0, 53), (54, 100), (101, 360), (361, 649), (650, 1249), (1250, 2049)],
        };
        foreach (var (pollutant, table) in rows)
            for (var i = 0; i < table.Length; i++)
            {
                data.Add(pollutant, table[i].Lo, indexes[i].Item1);
                data.Add(pollutant, table[i].Hi, indexes[i].Item2);
            }
        // Ozone: the 8-hour rows up to 0.200 ppm, the 1-hour rows above (the 8-hour table has no "hazardous" row).
        foreach (var (lo, hi, iLo, iHi) in new[] { (0.000, 0.054, 0, 50), (0.055, 0.070, 51, 100), (0.071, 0.085, 101, 150), (0.086, 0.105, 151, 200), (0.106, 0.200, 201, 300) })
        {
            data.Add("o3", lo, iLo);
            data.Add("o3", hi, iHi);
        }
        data.Add("o3", 0.205, 201);
        data.Add("o3", 0.404, 300);
        data.Add("o3", 0.405, 301);
        data.Add("o3", 0.604, 500);
        return data;
    }

    [Theory]
    [MemberData(nameof(Boundaries))]
    public void Each_row_bound_of_the_table_gives_its_index(string pollutant, double concentration, int expected) =>
        Assert.Equal(expected, AirQualityIndex.Of(pollutant, concentration)!.Index);

    [Theory]
    [InlineData("pm2_5", 12.0, 56, "Moderate")]   // 49/26.3 × 2.9 + 51 = 56.40
    [InlineData("pm2_5", 9.09, 50, "Good")]       // truncated to 9.0 first
    [InlineData("pm2_5", 35.45, 100, "Moderate")] // truncated to 35.4
    [InlineData("pm2_5", 150.0, 225, "Very unhealthy")]
    [InlineData("pm10", 154.9, 100, "Moderate")]  // truncated to 154
    [InlineData("o3", 0.0759, 115, "Unhealthy for sensitive groups")] // truncated to 0.075: 49/0.014 × 0.004 + 101
    [InlineData("pm2_5", 500, 500, "Hazardous")]  // beyond the table
    public void Concentrations_are_truncated_then_interpolated(string pollutant, double concentration, int index, string category)
    {
        var aqi = AirQualityIndex.Of(pollutant, concentration)!;
        Assert.Equal(index, aqi.Index);
        Assert.Equal(category, aqi.Category);
    }

    [Fact]
    public void The_overall_index_is_the_highest_and_names_the_dominant_pollutant()
    {
        var overall = AirQualityIndex.Overall([("pm2_5", 20.0), ("o3", 0.080), ("wind_speed", 30.0), ("no2", 40)])!;
        Assert.Equal("o3", overall.Pollutant);
        Assert.Equal(AirQualityIndex.Of("o3", 0.080)!.Index, overall.Index);
        Assert.True(overall.Index > AirQualityIndex.Of("pm2_5", 20.0)!.Index);
        Assert.Null(AirQualityIndex.Of("wind_speed", 3));
        Assert.Null(AirQualityIndex.Overall([("pga", 0.2)]));
    }

    [Theory]
    [InlineData("pm2_5", 12.0, null, null)]
    [InlineData("pm2_5", 12.0, "ug/m3", null)]
    [InlineData("pm2_5", 12.0, "mg/m3", "pm2_5 is reported in ug/m3 (UCUM); 'mg/m3' is not accepted.")]
    [InlineData("pm2_5", -1.0, null, "-1 ug/m3 is not a plausible pm2.5 (fine particles) (0 to 1000 ug/m3); a faulty sensor?")]
    [InlineData("radon", 1.0, null, "'radon' is not a quantity; one of: pm2_5, pm10, o3, no2, co, so2, pga, wind_speed, wind_gust, wind_direction, wind_shear, noise_laeq, noise_lmax, pipe_pressure, flow, leak, water_level.")]
    [InlineData("leak", 0.5, null, "leak is 1 (a leak) or 0 (none).")]
    [InlineData("wind_direction", 361.0, "deg", "361 deg is not a plausible wind direction (from, clockwise from north) (0 to 360 deg); a faulty sensor?")]
    public void Each_quantity_has_one_unit_and_a_plausible_range(string quantity, double value, string? unit, string? refusal) =>
        Assert.Equal(refusal, EnvironmentalQuantities.Refusal(quantity, value, unit));
}
