using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Shared.Security;
using SafeCities.Modules.Video.Contracts;
using SafeCities.Web.Platform.ApiKeys;

namespace SafeCities.Web.Platform.Devices;

/// <summary>Body of <c>POST /api/v1/devices</c>; <see cref="Settings"/> is the owning module's part (see the README).</summary>
internal sealed record RegisterDeviceRequest(string Kind, string Name, double Latitude, double Longitude, double? ElevationMeters = null,
    JsonElement? Settings = null);

internal sealed record RegisteredDevice(Guid Id, string ApiKey, DeviceDto Device);

/// <summary>
/// One front door for every kind of device: the owning module keeps the device and its module-specific data, the platform
/// keeps its key (shown once, stored hashed). The key is written first in a transaction that commits only once the module has
/// registered the device, so a refused registration (bad settings, a database error) leaves no key behind; only a failure of that
/// last commit could leave a device without a key (re-register it).
/// </summary>
internal sealed class DeviceRegistry(ISender sender, ApiKeyService keys, PlatformDbContext platform, IOptions<JsonOptions> json)
{
    public async Task<RegisteredDevice> RegisterAsync(RegisterDeviceRequest request, string createdBy, CancellationToken ct, string? key = null)
    {
        if (!DeviceKinds.All.Contains(request.Kind ?? ""))
            throw UnknownKind();
        var registration = new DeviceRegistration(Guid.CreateVersion7(), request.Kind!, request.Name ?? "", request.Latitude, request.Longitude,
            request.ElevationMeters);
        await new DeviceRegistrationValidator().ValidateAndThrowAsync(registration, ct);
        await using var tx = await platform.Database.BeginTransactionAsync(ct);
        var apiKey = await keys.CreateDeviceKeyAsync(registration.Id, request.Kind!, registration.Name, createdBy, ct, key);
        var device = request.Kind switch
        {
            DeviceKinds.AcousticSensor or DeviceKinds.GunshotFeed or DeviceKinds.EnvironmentalSensor =>
                await sender.Send(new RegisterSensorDeviceCommand(registration), ct),
            DeviceKinds.Streetlight => await sender.Send(new RegisterStreetlightCommand(registration, Settings(request, new StreetlightSettings())), ct),
            DeviceKinds.Camera => await sender.Send(new RegisterCameraCommand(registration, Settings(request, new CameraSettings())), ct),
            DeviceKinds.PlateReader => await sender.Send(new RegisterPlateReaderCommand(registration, Settings(request, new PlateReaderSettings())), ct),
            _ => throw UnknownKind(),
        };
        await tx.CommitAsync(ct);
        return new RegisteredDevice(device.Id, apiKey, device);
    }

    public async Task<IReadOnlyList<DeviceDto>> ListAsync(string? kind, CancellationToken ct)
    {
        if (kind is not null && !DeviceKinds.All.Contains(kind))
            throw UnknownKind();
        var all = new List<DeviceDto>();
        if (kind is null || DeviceKinds.Sensors.Contains(kind))
            all.AddRange(await sender.Send(new ListSensorDevicesQuery(kind), ct));
        if (kind is null or DeviceKinds.Streetlight)
            all.AddRange(await sender.Send(new ListStreetlightsQuery(), ct));
        if (kind is null or DeviceKinds.Camera)
            all.AddRange(await sender.Send(new ListCamerasQuery(), ct));
        if (kind is null or DeviceKinds.PlateReader)
            all.AddRange(await sender.Send(new ListPlateReadersQuery(), ct));
        return all;
    }

    private T Settings<T>(RegisterDeviceRequest request, T empty)
    {
        if (request.Settings is not { ValueKind: JsonValueKind.Object } settings)
            return request.Settings is null or { ValueKind: JsonValueKind.Null }
                ? empty
                : throw new ValidationException([new ValidationFailure("Settings", "'settings' must be a JSON object.")]);
        try
        {
            return settings.Deserialize<T>(json.Value.SerializerOptions) ?? empty;
        }
        catch (JsonException ex)
        {
            throw new ValidationException([new ValidationFailure("Settings", $"'settings' is not valid for this kind: {ex.Message}")]);
        }
    }

    private static ValidationException UnknownKind() =>
        new([new ValidationFailure("Kind", $"'kind' must be one of: {string.Join(", ", DeviceKinds.All)}.")]);
}
