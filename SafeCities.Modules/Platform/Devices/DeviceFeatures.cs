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
