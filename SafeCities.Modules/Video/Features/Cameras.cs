using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Security;
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
        RuleFor(c => c.Device.Kind).Equal(DeviceKinds.Camera);
        RuleFor(c => c.Settings.Type).Must(t => t is null or Camera.Fixed or Camera.Ptz).WithMessage("'Type' must be fixed or ptz.");
        RuleFor(c => c.Settings.HeadingDegrees).InclusiveBetween(0, 360).When(c => c.Settings.HeadingDegrees is not null);
        RuleFor(c => c.Settings.FieldOfViewDegrees).ExclusiveBetween(0, 360).When(c => c.Settings.FieldOfViewDegrees is not null);
        RuleFor(c => c.Settings.RangeMeters).ExclusiveBetween(0, 5000).When(c => c.Settings.RangeMeters is not null);
        RuleFor(c => c.Settings.StreamUrl).MaximumLength(500)
            .Must(u => u is null || Uri.TryCreate(u, UriKind.Absolute, out var uri) && Schemes.Contains(uri.Scheme))
            .WithMessage("'Stream Url' must be an absolute rtsp(s)://, http(s):// or wss:// link.");
        RuleFor(c => c.Settings.RecordingSystemId).MaximumLength(80);
    }
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
