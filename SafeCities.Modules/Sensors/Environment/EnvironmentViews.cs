using Npgsql;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Sensors.Data;
using SafeCities.Modules.Sensors.Domain;

namespace SafeCities.Modules.Sensors.Environment;

internal sealed class ListEnvironmentalQuantitiesQueryHandler : IQueryHandler<ListEnvironmentalQuantitiesQuery, IReadOnlyList<EnvironmentalQuantityDto>>
{
    public ValueTask<IReadOnlyList<EnvironmentalQuantityDto>> Handle(ListEnvironmentalQuantitiesQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<EnvironmentalQuantityDto>>(
            EnvironmentalQuantities.All.Select(q => new EnvironmentalQuantityDto(q.Code, q.Kind, q.Unit, q.Label, q.Min, q.Max)).ToList());
}

/// <summary>The map's and the table's data: every environmental sensor, its latest value per quantity and its current AQI (two statements).</summary>
internal sealed class ListEnvironmentalSensorsQueryHandler(SensorsDbContext db, NpgsqlDataSource dataSource)
    : IQueryHandler<ListEnvironmentalSensorsQuery, IReadOnlyList<EnvironmentalSensorDto>>
{
    public async ValueTask<IReadOnlyList<EnvironmentalSensorDto>> Handle(ListEnvironmentalSensorsQuery query, CancellationToken cancellationToken)
    {
        var devices = await db.Devices.AsNoTracking().Where(d => d.Kind == SensorDeviceKinds.EnvironmentalSensor).OrderBy(d => d.Name)
            .ToListAsync(cancellationToken);
        var latest = new Dictionary<Guid, List<LatestValueDto>>();
        await using (var sql = dataSource.CreateCommand("""
            SELECT l.device_id, l.quantity, l.value, l.at FROM sensors.latest_readings l
            JOIN sensors.devices d ON d.id = l.device_id AND d.kind = @kind ORDER BY l.device_id, l.quantity
            """))
        {
            sql.Parameters.AddWithValue("kind", SensorDeviceKinds.EnvironmentalSensor);
            await using var reader = await sql.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var quantity = EnvironmentalQuantities.Find(reader.GetString(1));
                if (quantity is null)
                    continue;
                var deviceId = reader.GetGuid(0);
                if (!latest.TryGetValue(deviceId, out var values))
                    latest[deviceId] = values = [];
                values.Add(new LatestValueDto(quantity.Code, quantity.Label, reader.GetDouble(2), quantity.Unit, reader.GetFieldValue<DateTimeOffset>(3), quantity.Text(reader.GetDouble(2))));
            }
        }
        return devices.Select(d =>
        {
            var values = latest.GetValueOrDefault(d.Id) ?? [];
            var aqi = AirQualityIndex.Overall(values.Select(v => (v.Quantity, v.Value)));
            return new EnvironmentalSensorDto(d.Id, d.Name, d.Latitude, d.Longitude, d.LastSeenAt, values, aqi?.Index, aqi?.Category, aqi?.Pollutant);
        }).ToList();
    }
}

internal sealed class GetSensorSeriesQueryValidator : AbstractValidator<GetSensorSeriesQuery>
{
    public GetSensorSeriesQueryValidator() =>
        RuleFor(q => q.Range).Must(r => SensorSeriesRanges.Find(r) is not null).WithMessage("'range' must be 24h, 7d or 30d.");
}

internal static class SensorSeriesRanges
{
    /// <summary>Range → (length, bucket): about 300 points whatever the range.</summary>
    public static (TimeSpan Length, TimeSpan Bucket)? Find(string? range) => range switch
    {
        "24h" => (TimeSpan.FromHours(24), TimeSpan.FromMinutes(5)),
        "7d" => (TimeSpan.FromDays(7), TimeSpan.FromMinutes(30)),
        "30d" => (TimeSpan.FromDays(30), TimeSpan.FromHours(2)),
        _ => null,
    };
}

/// <summary>
/// Minimum, mean and maximum per bucket and quantity (buckets aligned to the clock, so a refresh does not move them), in one statement on
/// the (device, quantity, at) index of the day partitions in range;
/// the thresholds are those of the enabled rules whose area holds the sensor.
/// </summary>
internal sealed class GetSensorSeriesQueryHandler(SensorsDbContext db, NpgsqlDataSource dataSource, TimeProvider clock)
    : IQueryHandler<GetSensorSeriesQuery, SensorSeriesDto?>
{
    public async ValueTask<SensorSeriesDto?> Handle(GetSensorSeriesQuery query, CancellationToken cancellationToken)
    {
        var device = await db.Devices.AsNoTracking()
            .SingleOrDefaultAsync(d => d.Id == query.DeviceId && d.Kind == SensorDeviceKinds.EnvironmentalSensor, cancellationToken);
        if (device is null)
            return null;
        var (length, bucket) = SensorSeriesRanges.Find(query.Range)!.Value;
        var to = clock.GetUtcNow();
        var from = to - length;
        var points = new Dictionary<string, List<SeriesPointDto>>();
        await using (var sql = dataSource.CreateCommand("""
            SELECT quantity, date_bin(@bucket, at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket, min(value), avg(value), max(value)
            FROM sensors.readings WHERE device_id = @device AND at >= @from AND at <= @to
            GROUP BY 1, 2 ORDER BY 1, 2
            """))
        {
            sql.Parameters.AddWithValue("bucket", bucket);
            sql.Parameters.AddWithValue("from", from);
            sql.Parameters.AddWithValue("to", to);
            sql.Parameters.AddWithValue("device", device.Id);
            await using var reader = await sql.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var quantity = reader.GetString(0);
                if (!points.TryGetValue(quantity, out var list))
                    points[quantity] = list = [];
                list.Add(new SeriesPointDto(reader.GetFieldValue<DateTimeOffset>(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4)));
            }
        }
        var rules = (await db.ThresholdRules.AsNoTracking().Where(r => r.Enabled).OrderBy(r => r.Name).ToListAsync(cancellationToken))
            .Where(r => r.Covers(device.Latitude, device.Longitude)).ToList();
        SeriesThresholdDto Threshold(ThresholdRule r) => new(r.Name, r.Threshold, r.ClearLevel, r.Above, r.Severity);
        var quantities = EnvironmentalQuantities.All.Where(q => points.ContainsKey(q.Code))
            .Select(q => new QuantitySeriesDto(q.Code, q.Label, q.Unit, points[q.Code], rules.Where(r => r.Quantity == q.Code).Select(Threshold).ToList()))
            .ToList();
        var aqiRules = points.Keys.Any(AirQualityIndex.Covers) ? rules.Where(r => r.Quantity == ThresholdRule.Aqi).Select(Threshold).ToList() : [];
        return new SensorSeriesDto(device.Id, device.Name, from, to, (int)bucket.TotalSeconds, quantities, aqiRules);
    }
}
