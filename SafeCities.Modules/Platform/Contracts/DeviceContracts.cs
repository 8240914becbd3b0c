using System.Text.Json;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Platform.Contracts;

/// <summary>
/// Registers a device of any declared kind: the owning module keeps the device (and its <paramref name="Settings"/>, see the README), the
/// platform its key, answered once in <see cref="RegisteredDeviceDto.ApiKey"/>.
/// </summary>
public sealed record RegisterDeviceCommand(string Kind, string Name, double Latitude, double Longitude, double? ElevationMeters, JsonElement? Settings,
    string Actor) : ICommand<RegisteredDeviceDto>;

public sealed record RegisteredDeviceDto(Guid Id, string ApiKey, DeviceDto Device);

/// <summary>Registered devices of every module, or of one kind.</summary>
public sealed record ListDevicesQuery(string? Kind = null) : IQuery<IReadOnlyList<DeviceDto>>;

/// <summary>The device kinds the modules declare, in the order they were declared.</summary>
public sealed record ListDeviceKindsQuery : IQuery<IReadOnlyList<string>>;
