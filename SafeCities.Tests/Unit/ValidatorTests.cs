using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SafeCities.Modules.Sensors;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Sensors.Features;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Video.Contracts;
using SafeCities.Modules.Video.Features;

namespace SafeCities.Tests.Unit;

public sealed class ValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);
    private readonly ReportGunshotCommandValidator gunshots = new(new FakeTimeProvider(Now), Options.Create(new SensorsOptions { MaxClockSkewSeconds = 120 }));

    private static ReportGunshotCommand Shot(double lat = 38.9, double lon = -77.0, int rounds = 2, DateTimeOffset? at = null, string id = "abc") =>
        new(Guid.NewGuid(), id, at ?? Now.AddSeconds(-5), lat, lon, rounds, "feed");

    [Fact]
    public void A_plausible_alert_is_valid() => Assert.True(gunshots.Validate(Shot()).IsValid);

    [Theory]
    [InlineData(90.0001, -77, 2, "Latitude")]
    [InlineData(-91, -77, 2, "Latitude")]
    [InlineData(38.9, 180.5, 2, "Longitude")]
    [InlineData(38.9, -77, 0, "Rounds")]
    [InlineData(38.9, -77, -3, "Rounds")]
    public void Out_of_range_values_are_refused_with_the_field_named(double lat, double lon, int rounds, string field)
    {
        var result = gunshots.Validate(Shot(lat, lon, rounds));
        Assert.Contains(result.Errors, e => e.PropertyName == field);
    }

    [Fact]
    public void Time_may_lead_by_the_allowed_skew_but_not_more()
    {
        Assert.True(gunshots.Validate(Shot(at: Now.AddSeconds(119))).IsValid);
        var late = gunshots.Validate(Shot(at: Now.AddSeconds(121)));
        Assert.Contains(late.Errors, e => e.PropertyName == "OccurredAt" && e.ErrorMessage.Contains("future"));
    }

    [Fact]
    public void An_external_id_is_required() => Assert.Contains(gunshots.Validate(Shot(id: "")).Errors, e => e.PropertyName == "ExternalId");

    [Fact]
    public void Camera_settings_are_checked()
    {
        var validator = new RegisterCameraCommandValidator();
        var device = new DeviceRegistration(Guid.NewGuid(), "camera", "Cam", 38.9, -77, null);
        Assert.True(validator.Validate(new RegisterCameraCommand(device, new CameraSettings("ptz", StreamUrl: "rtsp://vms/1"))).IsValid);
        var bad = validator.Validate(new RegisterCameraCommand(device, new CameraSettings("dome", FieldOfViewDegrees: 400, StreamUrl: "javascript:alert(1)")));
        Assert.Equal(["Settings.FieldOfViewDegrees", "Settings.StreamUrl", "Settings.Type"], bad.Errors.Select(e => e.PropertyName).Order().ToArray());
    }
}
