using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Video.Contracts;
using SafeCities.Modules.Video.Data;
using SafeCities.Modules.Video.Domain;

namespace SafeCities.Modules.Video.Features;

internal sealed class RegisterCameraCommandValidator : AbstractValidator<RegisterCameraCommand>
{
    private static readonly string[] Schemes = ["rtsp", "rtsps", "http", "https", "wss"];

    public RegisterCameraCommandValidator()
    {
        RuleFor(c => c.Device).SetValidator(new DeviceRegistrationValidator());
        RuleFor(c => c.Device.Kind).Equal(VideoDeviceKinds.Camera);
        RuleFor(c => c.Settings.Type).Must(t => t is null or Camera.Fixed or Camera.Ptz).WithMessage("'Type' must be fixed or ptz.");
        RuleFor(c => c.Settings.HeadingDegrees).InclusiveBetween(0, 360).When(c => c.Settings.HeadingDegrees is not null);
        RuleFor(c => c.Settings.FieldOfViewDegrees).ExclusiveBetween(0, 360).When(c => c.Settings.FieldOfViewDegrees is not null);
        RuleFor(c => c.Settings.RangeMeters).ExclusiveBetween(0, CameraGeometry.MaxRangeMeters).When(c => c.Settings.RangeMeters is not null);
        RuleFor(c => c.Settings.StreamUrl).MaximumLength(500)
            .Must(u => u is null || Uri.TryCreate(u, UriKind.Absolute, out var uri) && Schemes.Contains(uri.Scheme))
            .WithMessage("'Stream Url' must be an absolute rtsp(s)://, http(s):// or wss:// link.");
        RuleFor(c => c.Settings.RecordingSystemId).MaximumLength(80);

        RuleFor(c => c.Settings.PanMinDegrees).InclusiveBetween(0, 360).When(c => c.Settings.PanMinDegrees is not null);
        RuleFor(c => c.Settings.PanMaxDegrees).InclusiveBetween(0, 360).When(c => c.Settings.PanMaxDegrees is not null);
        RuleFor(c => c.Settings.PanMinDegrees).NotNull().When(c => c.Settings.PanMaxDegrees is not null)
            .WithMessage("'Pan Min Degrees' and 'Pan Max Degrees' go together (leave both out for 360° pan).");
        RuleFor(c => c.Settings.PanMaxDegrees).NotNull().When(c => c.Settings.PanMinDegrees is not null)
            .WithMessage("'Pan Min Degrees' and 'Pan Max Degrees' go together (leave both out for 360° pan).");
        RuleFor(c => c.Settings.PanMaxDegrees).NotEqual(c => c.Settings.PanMinDegrees)
            .When(c => c.Settings.PanMinDegrees is not null && c.Settings.PanMaxDegrees is not null)
            .WithMessage("'Pan Max Degrees' must differ from 'Pan Min Degrees' (the range runs clockwise from min to max; 0 and 360 is all round).");
        RuleFor(c => c.Settings.TiltMinDegrees).InclusiveBetween(-90, 90).When(c => c.Settings.TiltMinDegrees is not null);
        RuleFor(c => c.Settings.TiltMaxDegrees).InclusiveBetween(-90, 90).When(c => c.Settings.TiltMaxDegrees is not null);
        RuleFor(c => c.Settings.TiltMaxDegrees)
            .Must((c, max) => (c.Settings.TiltMinDegrees ?? Camera.DefaultTiltMinDegrees) < (max ?? Camera.DefaultTiltMaxDegrees))
            .WithMessage("'Tilt Max Degrees' must be above 'Tilt Min Degrees' (defaults −90 and 20).");
        const string PtzOnly = "Pan and tilt ranges apply to PTZ cameras only (type \"ptz\").";
        RuleFor(c => c.Settings.PanMinDegrees).Null().When(IsFixed).WithMessage(PtzOnly);
        RuleFor(c => c.Settings.PanMaxDegrees).Null().When(IsFixed).WithMessage(PtzOnly);
        RuleFor(c => c.Settings.TiltMinDegrees).Null().When(IsFixed).WithMessage(PtzOnly);
        RuleFor(c => c.Settings.TiltMaxDegrees).Null().When(IsFixed).WithMessage(PtzOnly);
        RuleFor(c => c.Settings.MountHeightMeters).GreaterThan(0).LessThanOrEqualTo(500).When(c => c.Settings.MountHeightMeters is not null);
    }

    private static bool IsFixed(RegisterCameraCommand c) => (c.Settings.Type ?? Camera.Fixed) == Camera.Fixed;
}

internal sealed class RegisterCameraCommandHandler(VideoDbContext db, TimeProvider clock) : ICommandHandler<RegisterCameraCommand, DeviceDto>
{
    public async ValueTask<DeviceDto> Handle(RegisterCameraCommand command, CancellationToken cancellationToken)
    {
        var (d, s) = (command.Device, command.Settings);
        var type = s.Type ?? Camera.Fixed;
        var camera = new Camera
        {
            Id = d.Id, Name = d.Name.Trim(), Latitude = d.Latitude, Longitude = d.Longitude, ElevationMeters = d.ElevationMeters,
            Location = GeoMath.Point(d.Latitude, d.Longitude), Type = type,
            HeadingDegrees = s.HeadingDegrees, FieldOfViewDegrees = s.FieldOfViewDegrees ?? (type == Camera.Fixed ? 90 : null),
            RangeMeters = s.RangeMeters ?? 150, StreamUrl = s.StreamUrl, RecordingSystemId = s.RecordingSystemId, RegisteredAt = clock.GetUtcNow(),
            PanMinDegrees = s.PanMinDegrees, PanMaxDegrees = s.PanMaxDegrees, TiltMinDegrees = s.TiltMinDegrees ?? Camera.DefaultTiltMinDegrees,
            TiltMaxDegrees = s.TiltMaxDegrees ?? Camera.DefaultTiltMaxDegrees, MountHeightMeters = s.MountHeightMeters ?? Camera.DefaultMountHeightMeters,
        };
        db.Cameras.Add(camera);
        await db.SaveChangesAsync(cancellationToken);
        return camera.ToDto();
    }
}

internal sealed class ListCamerasQueryHandler(VideoDbContext db) : IQueryHandler<ListCamerasQuery, IReadOnlyList<DeviceDto>>
{
    public async ValueTask<IReadOnlyList<DeviceDto>> Handle(ListCamerasQuery query, CancellationToken cancellationToken) =>
        (await db.Cameras.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken)).Select(c => c.ToDto()).ToList();
}

internal sealed class ListCameraDetailsQueryHandler(VideoDbContext db) : IQueryHandler<ListCameraDetailsQuery, IReadOnlyList<CameraDto>>
{
    public async ValueTask<IReadOnlyList<CameraDto>> Handle(ListCameraDetailsQuery query, CancellationToken cancellationToken) =>
        (await db.Cameras.AsNoTracking().OrderBy(c => c.Name).ThenBy(c => c.Id).ToListAsync(cancellationToken)).Select(c => c.ToCameraDto()).ToList();
}
