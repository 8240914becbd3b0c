using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Sensors.Data;
using SafeCities.Modules.Shared.Text;

namespace SafeCities.Modules.Sensors.Environment;

internal sealed class ListNearbySensorValuesQueryValidator : AbstractValidator<ListNearbySensorValuesQuery>
{
    public ListNearbySensorValuesQueryValidator()
    {
        RuleFor(q => q.Latitude).InclusiveBetween(-90, 90);
        RuleFor(q => q.Longitude).InclusiveBetween(-180, 180);
        RuleFor(q => q.RadiusMeters).InclusiveBetween(1, 50_000);
    }
}

internal sealed class ListNearbySensorValuesQueryHandler(SensorsDbContext db) : IQueryHandler<ListNearbySensorValuesQuery, IReadOnlyList<SensorValueDto>>
{
    public async ValueTask<IReadOnlyList<SensorValueDto>> Handle(ListNearbySensorValuesQuery q, CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT d.id AS device_id, d.name AS device_name,
                   ST_Distance(d.location, ST_SetSRID(ST_MakePoint({q.Longitude}, {q.Latitude}), 4326)::geography) AS distance_meters,
                   l.quantity AS quantity, l.value AS value, l.at AS at
            FROM sensors.latest_readings l JOIN sensors.devices d ON d.id = l.device_id
            WHERE ST_DWithin(d.location, ST_SetSRID(ST_MakePoint({q.Longitude}, {q.Latitude}), 4326)::geography, {q.RadiusMeters})
            ORDER BY 3, d.id, l.quantity
            LIMIT 200
            """).ToListAsync(cancellationToken);
        return rows.Select(r => EnvironmentalQuantities.Find(r.Quantity) is { } q
            ? new SensorValueDto(r.DeviceId, r.DeviceName, r.DistanceMeters, r.Quantity, r.Value, q.Unit, r.At, q.Text(r.Value))
            : new SensorValueDto(r.DeviceId, r.DeviceName, r.DistanceMeters, r.Quantity, r.Value, "", r.At, $"{r.Quantity} {Measurement.Text(r.Value)}")).ToList();
    }

    private sealed record Row(Guid DeviceId, string DeviceName, double DistanceMeters, string Quantity, double Value, DateTimeOffset At);
}
