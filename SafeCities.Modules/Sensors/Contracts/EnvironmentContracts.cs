namespace SafeCities.Modules.Sensors.Contracts;

/// <summary>
/// A threshold rule as administrators send and read it (<c>/api/v1/sensors/rules</c>, Admin → Sensor rules). With
/// <paramref name="ChangeWindowSeconds"/> the threshold and clear level are changes in percent over that window instead of values.
/// </summary>
public sealed record ThresholdRuleDto(string Name, string Quantity, bool Above, double Threshold, double ClearLevel, int SustainedSeconds,
    string Severity, double? CenterLatitude = null, double? CenterLongitude = null, double? RadiusMeters = null, bool Enabled = true, Guid? Id = null,
    DateTimeOffset? UpdatedAt = null, string? UpdatedBy = null, int? ChangeWindowSeconds = null);

/// <summary>Creates (<paramref name="Id"/> null) or replaces a rule; null when the id names no rule. Validated and audited.</summary>
public sealed record SaveThresholdRuleCommand(Guid? Id, ThresholdRuleDto Rule, string By) : ICommand<ThresholdRuleDto?>;

public sealed record ListThresholdRulesQuery : IQuery<IReadOnlyList<ThresholdRuleDto>>;

/// <summary>What a reading may carry: code, kind, UCUM unit, label and the plausible range.</summary>
public sealed record EnvironmentalQuantityDto(string Code, string Kind, string Unit, string Label, double Min, double Max);

public sealed record ListEnvironmentalQuantitiesQuery : IQuery<IReadOnlyList<EnvironmentalQuantityDto>>;

/// <summary>Every environmental sensor with its latest value per quantity and, for air quality, the current AQI.</summary>
public sealed record ListEnvironmentalSensorsQuery : IQuery<IReadOnlyList<EnvironmentalSensorDto>>;

public sealed record EnvironmentalSensorDto(Guid Id, string Name, double Latitude, double Longitude, DateTimeOffset? LastSeenAt,
    IReadOnlyList<LatestValueDto> Values, int? Aqi = null, string? AqiCategory = null, string? AqiPollutant = null);

/// <param name="Unit">UCUM code.</param>
/// <param name="Text">The value as people read it ("PM2.5 60.2 µg/m³").</param>
public sealed record LatestValueDto(string Quantity, string Label, double Value, string Unit, DateTimeOffset At, string Text);

/// <summary>
/// One sensor's readings over <paramref name="Range"/> (<c>24h</c>, <c>7d</c> or <c>30d</c>, ending now) in time buckets (5 min, 30 min,
/// 2 h: minimum, mean and maximum per bucket), with the thresholds of the rules that watch it. Null when no environmental sensor has the id.
/// </summary>
public sealed record GetSensorSeriesQuery(Guid DeviceId, string Range) : IQuery<SensorSeriesDto?>;

public sealed record SensorSeriesDto(Guid DeviceId, string Name, DateTimeOffset From, DateTimeOffset To, int BucketSeconds,
    IReadOnlyList<QuantitySeriesDto> Quantities, IReadOnlyList<SeriesThresholdDto> AqiRules);

public sealed record QuantitySeriesDto(string Quantity, string Label, string Unit, IReadOnlyList<SeriesPointDto> Points,
    IReadOnlyList<SeriesThresholdDto> Thresholds);

public sealed record SeriesPointDto(DateTimeOffset At, double Min, double Mean, double Max);

public sealed record SeriesThresholdDto(string Rule, double Threshold, double ClearLevel, bool Above, string Severity);
