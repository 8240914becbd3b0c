using SafeCities.Modules.Sensors.Location;

namespace SafeCities.Tests.Unit.Sensors;

public sealed class CsvReaderTests
{
    private static List<string[]> Read(string text) => CsvReader.ReadRecords(new StringReader(text)).ToList();

    [Fact]
    public void Plain_fields_and_both_line_endings()
    {
        var records = Read("a,b,c\r\n1,2,3\n4,,6");

        Assert.Equal(3, records.Count);
        Assert.Equal(["a", "b", "c"], records[0]);
        Assert.Equal(["1", "2", "3"], records[1]);
        Assert.Equal(["4", "", "6"], records[2]);
    }

    [Fact]
    public void Quoted_fields_with_commas_quotes_and_newlines()
    {
        var records = Read("name,note\n\"Smith, J\",\"said \"\"hi\"\"\nthen left\"\n");

        Assert.Equal(2, records.Count);
        Assert.Equal("Smith, J", records[1][0]);
        Assert.Equal("said \"hi\"\nthen left", records[1][1]);
    }

    [Fact]
    public void Blank_lines_are_skipped_and_trailing_empty_field_kept()
    {
        var records = Read("a,b\n\n1,\n");

        Assert.Equal(2, records.Count);
        Assert.Equal(["1", ""], records[1]);
    }

    [Fact]
    public void Unterminated_quote_is_an_error() =>
        Assert.Throws<FormatException>(() => Read("a,\"b\n1,2"));
}

public sealed class ShotRecordingCsvTests
{
    private const string Header =
        "firing_position,test_id,shot_index,firearm,sensor_serial,arrival_time_utc,sensor_x_m,sensor_y_m,sensor_z_m,sensor_location_error_m,snr_db,power_db_spl,survey_x_m,survey_y_m,survey_z_m,temperature_c,wind_speed_mps,wind_from_deg";

    [Fact]
    public void Rows_are_grouped_into_shots_in_order_of_first_appearance()
    {
        var csv = Header + "\n"
            + "FP1,1,0,\"45 Cal, Handgun\",S1,2018-12-19T00:49:28.543Z,1,2,3,0.04,24,93,10,20,30,-1.1,0,0\n"
            + "FP1,1,1,x,S1,2018-12-19T00:49:29.000Z,1,2,3,0.04,24,93,10,20,30,-1.1,0,0\n"
            + "FP1,1,0,x,S2,2018-12-19T00:49:28.600Z,4,5,6,0.5,24,93,10,20,30,-1.1,0,0\n";

        var shots = ShotRecordingCsv.Read(new StringReader(csv));

        Assert.Equal(2, shots.Count);
        Assert.Equal(new ShotKey("FP1", "1", "0"), shots[0].Key);
        Assert.Equal(2, shots[0].Pulses.Count);
        Assert.Equal(new Point3(10, 20, 30), shots[0].Survey);
        Assert.Equal(-1.1, shots[0].TemperatureCelsius);
        Assert.Equal(0.5, shots[0].Pulses[1].SensorPositionErrorMeters);
        Assert.Equal(0.057, shots[0].Pulses[1].ArrivalTimeSeconds - shots[0].Pulses[0].ArrivalTimeSeconds, 1e-6);
        var expected = (new DateTimeOffset(2018, 12, 19, 0, 49, 28, 543, TimeSpan.Zero) - DateTimeOffset.UnixEpoch).TotalSeconds;
        Assert.Equal(expected, shots[0].Pulses[0].ArrivalTimeSeconds, 1e-6);
    }

    [Fact]
    public void Survey_columns_are_optional()
    {
        const string csv = "firing_position,test_id,shot_index,arrival_time_utc,sensor_x_m,sensor_y_m,sensor_z_m,temperature_c\nA,1,0,12.5,0,0,0,10\n";

        var shot = Assert.Single(ShotRecordingCsv.Read(new StringReader(csv)));

        Assert.Null(shot.Survey);
        Assert.Equal(12.5, shot.Pulses[0].ArrivalTimeSeconds);
    }

    [Fact]
    public void Missing_columns_and_bad_values_are_reported()
    {
        var missing = Assert.Throws<FormatException>(() => ShotRecordingCsv.Read(new StringReader("firing_position,test_id\nA,1\n")));
        Assert.Contains("shot_index", missing.Message, StringComparison.Ordinal);

        const string bad = "firing_position,test_id,shot_index,arrival_time_utc,sensor_x_m,sensor_y_m,sensor_z_m,temperature_c\nA,1,0,yesterday,0,0,0,10\n";
        var badTime = Assert.Throws<FormatException>(() => ShotRecordingCsv.Read(new StringReader(bad)));
        Assert.Contains("Line 2", badTime.Message, StringComparison.Ordinal);
    }
}
