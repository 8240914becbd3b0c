using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Video.Contracts;
using SafeCities.Modules.Video.Features;

namespace SafeCities.Tests.Unit.Video;

public sealed class VideoValidatorTests
{
    private readonly RegisterCameraCommandValidator cameras = new();
    private readonly UpdateVideoReactionSettingsCommandValidator settings = new();

    private static RegisterCameraCommand Camera(CameraSettings s) =>
        new(new DeviceRegistration(Guid.NewGuid(), DeviceKinds.Camera, "cam", 38.9, -77.0, null), s);

    [Fact]
    public void A_ptz_with_a_pan_range_tilt_range_and_mount_height_is_valid() =>
        Assert.True(cameras.Validate(Camera(new CameraSettings("ptz", PanMinDegrees: 300, PanMaxDegrees: 60, TiltMinDegrees: -60, TiltMaxDegrees: 10,
            MountHeightMeters: 8))).IsValid);

    [Theory]
    [InlineData("ptz", 10.0, null, null, null, null, "Settings.PanMaxDegrees")]       // half a pan range
    [InlineData("ptz", null, 10.0, null, null, null, "Settings.PanMinDegrees")]
    [InlineData("ptz", 10.0, 10.0, null, null, null, "Settings.PanMaxDegrees")]       // empty range
    [InlineData("ptz", -1.0, 10.0, null, null, null, "Settings.PanMinDegrees")]
    [InlineData("ptz", 10.0, 361.0, null, null, null, "Settings.PanMaxDegrees")]
    [InlineData("ptz", null, null, -91.0, null, null, "Settings.TiltMinDegrees")]
    [InlineData("ptz", null, null, 30.0, null, null, "Settings.TiltMaxDegrees")]      // min above the default max (20)
    [InlineData("ptz", null, null, -10.0, -20.0, null, "Settings.TiltMaxDegrees")]
    [InlineData("ptz", null, null, null, null, 0.0, "Settings.MountHeightMeters")]
    [InlineData("ptz", null, null, null, null, 501.0, "Settings.MountHeightMeters")]
    [InlineData("fixed", 10.0, 90.0, null, null, null, "Settings.PanMinDegrees")]     // pan ranges are for PTZ cameras
    [InlineData(null, null, null, -30.0, null, null, "Settings.TiltMinDegrees")]      // fixed by default
    public void Bad_ptz_settings_are_refused_with_the_field_named(string? type, double? panMin, double? panMax, double? tiltMin, double? tiltMax,
        double? mount, string field)
    {
        var result = cameras.Validate(Camera(new CameraSettings(type, PanMinDegrees: panMin, PanMaxDegrees: panMax, TiltMinDegrees: tiltMin,
            TiltMaxDegrees: tiltMax, MountHeightMeters: mount)));
        Assert.Contains(result.Errors, e => e.PropertyName == field);
    }

    [Fact]
    public void Default_reaction_settings_are_valid() =>
        Assert.True(settings.Validate(new UpdateVideoReactionSettingsCommand(["gunshot"], 30, 5, 10, "admin")).IsValid);

    [Theory]
    [InlineData("", 30, 5, 10, "TriggerKinds")]
    [InlineData("fireworks", 30, 5, 10, "TriggerKinds[0]")]
    [InlineData("gunshot,gunshot", 30, 5, 10, "TriggerKinds")]
    [InlineData("gunshot", -1, 5, 10, "PreSeconds")]
    [InlineData("gunshot", 601, 5, 10, "PreSeconds")]
    [InlineData("gunshot", 30, 0, 10, "PostMinutes")]
    [InlineData("gunshot", 30, 121, 10, "PostMinutes")]
    [InlineData("gunshot", 30, 5, 0, "MaxPtzCameras")]
    [InlineData("gunshot", 30, 5, 51, "MaxPtzCameras")]
    public void Out_of_range_reaction_settings_are_refused_with_the_field_named(string kinds, int pre, int post, int max, string field)
    {
        var result = settings.Validate(new UpdateVideoReactionSettingsCommand(kinds.Split(',', StringSplitOptions.RemoveEmptyEntries), pre, post, max, "admin"));
        Assert.Contains(result.Errors, e => e.PropertyName == field);
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(600, 120, 50)]
    public void The_limits_themselves_are_allowed(int pre, int post, int max) =>
        Assert.True(settings.Validate(new UpdateVideoReactionSettingsCommand(["gunshot"], pre, post, max, "admin")).IsValid);
}
