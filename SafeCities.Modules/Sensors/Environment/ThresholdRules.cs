using SafeCities.Modules.Sensors.Data;
using SafeCities.Modules.Shared.Caching;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Modules.Sensors.Environment;

/// <summary>
/// An administrator's rule: when a sensor's <see cref="Quantity"/> (or <c>aqi</c>, the overall air quality index from the sensor's latest
/// pollutant values) stays at or beyond <see cref="Threshold"/> for <see cref="SustainedSeconds"/>, an incident opens; it clears when the
/// value comes back past <see cref="ClearLevel"/> (hysteresis: between the two nothing changes). <see cref="Above"/> false watches a fall
/// (e.g. pipe pressure below a level). Optionally only for sensors within a circle.
/// </summary>
internal sealed class ThresholdRule
{
    public Guid Id { get; init; }
    public required string Name { get; set; }
    public required string Quantity { get; set; }
    public bool Above { get; set; } = true;
    public double Threshold { get; set; }
    public double ClearLevel { get; set; }
    public int SustainedSeconds { get; set; }
    public required string Severity { get; set; }
    public double? CenterLatitude { get; set; }
    public double? CenterLongitude { get; set; }
    public double? RadiusMeters { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>
    /// When set, the rule watches the change in percent against the sensor's reading this many seconds earlier (the latest at or before
    /// then), not the value: e.g. threshold −30, below, 300 s = "pressure drops by 30 % or more within 5 minutes" (a burst main).
    /// </summary>
    public int? ChangeWindowSeconds { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }

    public const string Aqi = "aqi";

    public bool Beyond(double value) => Above ? value >= Threshold : value <= Threshold;

    public bool Cleared(double value) => Above ? value < ClearLevel : value > ClearLevel;

    /// <summary>Whether a sensor at this place is within the rule's area (no area: the whole city).</summary>
    public bool Covers(double latitude, double longitude) => RadiusMeters is not { } radius
        || GeoMath.DistanceMeters(CenterLatitude!.Value, CenterLongitude!.Value, latitude, longitude) <= radius;
}

/// <summary>Where one sensor stands against one rule (one row per rule and device).</summary>
internal sealed class ThresholdRuleState
{
    public Guid RuleId { get; init; }
    public Guid DeviceId { get; init; }
    public string State { get; set; } = ThresholdStates.Normal;
    /// <summary>Since when the value has been beyond the threshold (pending or crossed).</summary>
    public DateTimeOffset? Since { get; set; }
    /// <summary>The crossing (and the incident it opened) while crossed.</summary>
    public Guid? CrossingId { get; set; }
    public DateTimeOffset LastAt { get; set; }
    public double LastValue { get; set; }
}

internal static class ThresholdStates
{
    public const string Normal = "normal";
    public const string Pending = "pending";
    public const string Crossed = "crossed";
}

internal enum ThresholdTransition
{
    None,
    Crossed,
    Cleared,
}

/// <summary>
/// One step of a rule for one sensor: a value at a time moves the state. Beyond the threshold starts (or keeps) "pending"; pending for the
/// sustained duration becomes "crossed" (once: <see cref="ThresholdTransition.Crossed"/>); a value past the clear level returns to
/// "normal" (<see cref="ThresholdTransition.Cleared"/> if it had crossed). A value older than the last one seen is ignored (late delivery
/// does not rewind the state).
/// </summary>
internal static class ThresholdRuleEvaluator
{
    public static ThresholdTransition Step(ThresholdRule rule, ThresholdRuleState state, DateTimeOffset at, double value)
    {
        if (at < state.LastAt)
            return ThresholdTransition.None;
        state.LastAt = at;
        state.LastValue = value;
        switch (state.State)
        {
            case ThresholdStates.Crossed:
                if (!rule.Cleared(value))
                    return ThresholdTransition.None;
                state.State = ThresholdStates.Normal;
                state.Since = null;
                return ThresholdTransition.Cleared;
            case ThresholdStates.Pending when !rule.Beyond(value):
                state.State = ThresholdStates.Normal;
                state.Since = null;
                return ThresholdTransition.None;
            case ThresholdStates.Normal when !rule.Beyond(value):
                return ThresholdTransition.None;
            case ThresholdStates.Normal:
                state.State = ThresholdStates.Pending;
                state.Since = at;
                break;
        }
        if (at - state.Since!.Value < TimeSpan.FromSeconds(rule.SustainedSeconds))
            return ThresholdTransition.None;
        state.State = ThresholdStates.Crossed;
        state.CrossingId = Guid.CreateVersion7();
        return ThresholdTransition.Crossed;
    }
}

/// <summary>
/// The enabled rules, cached briefly on each node: every stored batch of readings needs them, and they change rarely (a saved rule drops
/// the cache on every node at once; the 30 s lifetime is the last resort). Detached entities: evaluation reads them, never changes them.
/// </summary>
internal sealed class ThresholdRuleCache(CacheInvalidation cache)
{
    private const string Key = "sensors:threshold-rules";

    public Task<IReadOnlyList<ThresholdRule>> EnabledAsync(CancellationToken ct) =>
        cache.GetOrLoadAsync<SensorsDbContext, IReadOnlyList<ThresholdRule>>(Key, TimeSpan.FromSeconds(30),
            async (db, c) => await db.ThresholdRules.AsNoTracking().Where(r => r.Enabled).ToListAsync(c), ct);

    public Task InvalidateAsync() => cache.InvalidateAsync(Key);
}
