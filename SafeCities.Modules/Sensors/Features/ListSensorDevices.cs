using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Sensors.Data;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Sensors.Features;

internal sealed class ListSensorDevicesQueryHandler(SensorsDbContext db) : IQueryHandler<ListSensorDevicesQuery, IReadOnlyList<DeviceDto>>
{
    public async ValueTask<IReadOnlyList<DeviceDto>> Handle(ListSensorDevicesQuery query, CancellationToken cancellationToken)
    {
        var devices = await db.Devices.AsNoTracking()
            .Where(d => query.Kind == null || d.Kind == query.Kind)
            .OrderBy(d => d.Name)
            .ToListAsync(cancellationToken);
        return devices.Select(d => d.ToDto()).ToList();
    }
}
