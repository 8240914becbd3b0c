using Microsoft.Extensions.Configuration;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Platform.Devices;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Tests.Unit;

/// <summary>How the platform judges a device's health from what its module last heard, and how configuration overrides a kind's thresholds.</summary>
public sealed class DeviceHealthRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly DeviceSilence Hourly = new(TimeSpan.FromHours(1), TimeSpan.FromHours(12));

    private static DeviceHeardDto Heard(TimeSpan? ago, bool failing = false, TimeSpan? registeredAgo = null) =>
        new(Guid.NewGuid(), "plate-reader", "R1", Now - (registeredAgo ?? TimeSpan.FromDays(30)), ago is { } a ? Now - a : null, ago is null ? null : "plate read",
            failing ? Now : null, failing ? "boom" : null, failing);

    [Theory]
    [InlineData(30, DeviceHealthStatus.Ok)]
    [InlineData(61, DeviceHealthStatus.Late)]
    [InlineData(12 * 60 + 1, DeviceHealthStatus.Silent)]
    public void Quiet_for_longer_than_a_threshold_is_late_then_silent(int minutes, string status) =>
        Assert.Equal(status, ListDeviceHealthQueryHandler.StatusOf(Heard(TimeSpan.FromMinutes(minutes)), Hourly, Now));

    [Fact]
    public void Failing_wins_over_everything_and_a_kind_without_thresholds_is_ok_unless_failing()
    {
        Assert.Equal(DeviceHealthStatus.Failing, ListDeviceHealthQueryHandler.StatusOf(Heard(TimeSpan.FromMinutes(1), failing: true), Hourly, Now));
        Assert.Equal(DeviceHealthStatus.Ok, ListDeviceHealthQueryHandler.StatusOf(Heard(null), null, Now));
        Assert.Equal(DeviceHealthStatus.Failing, ListDeviceHealthQueryHandler.StatusOf(Heard(null, failing: true), null, Now));
    }

    [Fact]
    public void A_device_never_heard_is_measured_from_its_registration()
    {
        Assert.Equal(DeviceHealthStatus.Ok, ListDeviceHealthQueryHandler.StatusOf(Heard(null, registeredAgo: TimeSpan.FromMinutes(5)), Hourly, Now));
        Assert.Equal(DeviceHealthStatus.Silent, ListDeviceHealthQueryHandler.StatusOf(Heard(null, registeredAgo: TimeSpan.FromDays(1)), Hourly, Now));
    }

    [Fact]
    public void Configuration_overrides_a_kinds_thresholds_and_silent_is_never_before_late()
    {
        static IConfiguration Section(params (string Key, string Value)[] values) =>
            new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

        Assert.Equal(Hourly, ListDeviceHealthQueryHandler.Thresholds(Hourly, Section()));
        Assert.Equal(new DeviceSilence(TimeSpan.FromMinutes(5), TimeSpan.FromHours(12)),
            ListDeviceHealthQueryHandler.Thresholds(Hourly, Section(("LateAfterMinutes", "5"))));
        Assert.Equal(new DeviceSilence(TimeSpan.FromMinutes(90), TimeSpan.FromMinutes(90)),
            ListDeviceHealthQueryHandler.Thresholds(Hourly, Section(("LateAfterMinutes", "90"), ("SilentAfterMinutes", "30"))));
        // A kind that speaks when commanded can still be given thresholds.
        Assert.Equal(new DeviceSilence(TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(60)),
            ListDeviceHealthQueryHandler.Thresholds(null, Section(("SilentAfterMinutes", "60"))));
        Assert.Null(ListDeviceHealthQueryHandler.Thresholds(null, Section()));
    }
}
