using SafeCities.Modules.Platform.ApiKeys;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Platform.Devices;

internal sealed class RegisterDeviceCommandHandler(DeviceRegistry registry) : ICommandHandler<RegisterDeviceCommand, RegisteredDeviceDto>
{
    public async ValueTask<RegisteredDeviceDto> Handle(RegisterDeviceCommand command, CancellationToken cancellationToken) =>
        await registry.RegisterAsync(new RegisterDeviceRequest(command.Kind, command.Name, command.Latitude, command.Longitude, command.ElevationMeters,
            command.Settings), command.Actor, cancellationToken);
}

internal sealed class ListDevicesQueryHandler(DeviceRegistry registry) : IQueryHandler<ListDevicesQuery, IReadOnlyList<DeviceDto>>
{
    public async ValueTask<IReadOnlyList<DeviceDto>> Handle(ListDevicesQuery query, CancellationToken cancellationToken) =>
        await registry.ListAsync(query.Kind, cancellationToken);
}

internal sealed class ListDeviceKindsQueryHandler(DeviceKindCatalog kinds) : IQueryHandler<ListDeviceKindsQuery, IReadOnlyList<string>>
{
    public ValueTask<IReadOnlyList<string>> Handle(ListDeviceKindsQuery query, CancellationToken cancellationToken) => ValueTask.FromResult(kinds.Names);
}

internal sealed class EditDeviceCommandHandler(DeviceRegistry registry) : ICommandHandler<EditDeviceCommand, DeviceDto?>
{
    public async ValueTask<DeviceDto?> Handle(EditDeviceCommand c, CancellationToken cancellationToken) =>
        await registry.EditAsync(c.Id, c.Name, c.Latitude, c.Longitude, c.ElevationMeters, c.Actor, cancellationToken);
}

internal sealed class ChangeDeviceKeyCommandHandler(DeviceRegistry registry) : ICommandHandler<ChangeDeviceKeyCommand, DeviceKeyChangeDto?>
{
    public async ValueTask<DeviceKeyChangeDto?> Handle(ChangeDeviceKeyCommand c, CancellationToken cancellationToken) =>
        await registry.ChangeKeyAsync(c.Id, c.Replace, c.Actor, cancellationToken);
}

internal sealed class ListDeviceKeyStatesQueryHandler(ApiKeyService keys) : IQueryHandler<ListDeviceKeyStatesQuery, IReadOnlyDictionary<Guid, bool>>
{
    public async ValueTask<IReadOnlyDictionary<Guid, bool>> Handle(ListDeviceKeyStatesQuery query, CancellationToken cancellationToken) =>
        (await keys.ListAsync(ApiKey.Device, cancellationToken)).Where(k => k.DeviceId is not null).GroupBy(k => k.DeviceId!.Value)
            .ToDictionary(g => g.Key, g => g.Any(k => k.RevokedAt is null));
}
