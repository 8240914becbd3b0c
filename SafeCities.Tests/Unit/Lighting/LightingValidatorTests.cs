using Microsoft.Extensions.Time.Testing;
using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Lighting.Features;

namespace SafeCities.Tests.Unit.Lighting;

public sealed class LightingValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);
    private readonly UpdateLightingReactionSettingsCommandValidator settings = new();
    private readonly ReportStreetlightFaultsCommandValidator faults = new(new FakeTimeProvider(Now));

    private static UpdateLightingReactionSettingsCommand Settings(int radius = 150, int level = 100, int minutes = 15, string[]? kinds = null, string by = "a") =>
        new(kinds ?? ["gunshot"], radius, level, minutes, by);

    [Theory]
    [InlineData(10, 1, 1)]
    [InlineData(2000, 100, 240)]
    [InlineData(150, 100, 15)]
    public void Settings_at_the_limits_are_valid(int radius, int level, int minutes) =>
        Assert.True(settings.Validate(Settings(radius, level, minutes)).IsValid);

    [Theory]
    [InlineData(9, 100, 15, "RadiusMeters")]
    [InlineData(2001, 100, 15, "RadiusMeters")]
    [InlineData(150, 0, 15, "LevelPercent")]
    [InlineData(150, 101, 15, "LevelPercent")]
    [InlineData(150, 100, 0, "DurationMinutes")]
    [InlineData(150, 100, 241, "DurationMinutes")]
    public void Settings_out_of_range_name_the_field(int radius, int level, int minutes, string field) =>
        Assert.Equal([field], settings.Validate(Settings(radius, level, minutes)).Errors.Select(e => e.PropertyName));

    [Fact]
    public void Settings_need_a_known_incident_kind_and_an_author()
    {
        Assert.Equal(["TriggerKinds"], settings.Validate(Settings(kinds: [])).Errors.Select(e => e.PropertyName));
        Assert.Equal(["TriggerKinds[1]"], settings.Validate(Settings(kinds: ["gunshot", "fireworks"])).Errors.Select(e => e.PropertyName));
        Assert.Equal(["By"], settings.Validate(Settings(by: "")).Errors.Select(e => e.PropertyName));
    }

    private static ReportStreetlightFaultsCommand Faults(params StreetlightFaultReport[] reports) => new(Guid.NewGuid(), reports, "device:x");

    [Fact]
    public void Every_talq_fault_kind_and_both_states_are_accepted()
    {
        var reports = StreetlightFaultKinds.All.SelectMany(k => new[] { new StreetlightFaultReport(k, "active", Now.AddMinutes(-1)), new StreetlightFaultReport(k, "cleared", Now) });
        Assert.True(faults.Validate(Faults([.. reports])).IsValid);
    }

    [Fact]
    public void Bad_faults_name_the_item_and_field()
    {
        var result = faults.Validate(Faults(new StreetlightFaultReport("lamp-failure", "active", Now), new StreetlightFaultReport("smoke", "on", Now.AddMinutes(3)),
            new StreetlightFaultReport("lamp-failure", "cleared", new DateTimeOffset(1999, 1, 1, 0, 0, 0, TimeSpan.Zero))));
        Assert.Equal(["Faults[1].At", "Faults[1].Kind", "Faults[1].State", "Faults[2].At"], result.Errors.Select(e => e.PropertyName).Order());
        Assert.False(faults.Validate(Faults()).IsValid);
        Assert.False(faults.Validate(Faults([.. Enumerable.Repeat(new StreetlightFaultReport("lamp-failure", "active", Now), 51)])).IsValid);
        Assert.True(faults.Validate(Faults(new StreetlightFaultReport("lamp-failure", "active", Now.AddMinutes(2)))).IsValid); // allowed clock skew
    }

    [Fact]
    public void Import_chunks_need_a_valid_header_a_line_number_and_at_most_500_lines()
    {
        var import = new ImportStreetlightsCommandValidator();
        Assert.True(import.Validate(new ImportStreetlightsCommand("name,latitude,longitude,controllerId", 2, ["a,1,1,S"], "admin")).IsValid);
        Assert.Equal(["FirstLine", "Header", "Lines"], import.Validate(new ImportStreetlightsCommand("name", 1, [], "admin")).Errors.Select(e => e.PropertyName).Order());
        Assert.Equal(["Lines"], import.Validate(new ImportStreetlightsCommand("name,latitude,longitude,controllerId", 2, [.. Enumerable.Repeat("", 501)], "a"))
            .Errors.Select(e => e.PropertyName));
    }
}
