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

/// <summary>Renames and moves a registered device (its kind and module settings stay); null when no device has that id.</summary>
public sealed record EditDeviceCommand(Guid Id, string Name, double Latitude, double Longitude, double? ElevationMeters, string Actor) : ICommand<DeviceDto?>;

/// <summary>Revokes a device's keys and, when <paramref name="Replace"/>, issues a new one; null when no device has that id.</summary>
public sealed record ChangeDeviceKeyCommand(Guid Id, bool Replace, string Actor) : ICommand<DeviceKeyChangeDto?>;

/// <param name="ApiKey">The new key, shown once (null when the keys were only revoked).</param>
public sealed record DeviceKeyChangeDto(Guid DeviceId, int Revoked, string? ApiKey);

/// <summary>Whether each device has a key it can report with (an administrator may have revoked it).</summary>
public sealed record ListDeviceKeyStatesQuery : IQuery<IReadOnlyDictionary<Guid, bool>>;
