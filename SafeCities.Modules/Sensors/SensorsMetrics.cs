using System.Diagnostics.Metrics;
using SafeCities.Modules.Shared.Observability;

namespace SafeCities.Modules.Sensors;

/// <summary>Gunshot and pulse ingestion as operators watch it (README, Observability).</summary>
internal sealed class SensorsMetrics : IMetricsSource
{
    public const string FromAlert = "alert";
    public const string FromPulses = "pulses";

    private readonly Counter<long> gunshots;
    private readonly Counter<long> pulses;

    public SensorsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("SafeCities.Sensors");
        gunshots = meter.CreateCounter<long>("safecities.sensors.gunshots", "{detection}",
            "Gunshot detections: origin=alert (a detection system's alert) or pulses (located here from acoustic pulses); " +
            "outcome=stored or duplicate (an alert sent again).");
        pulses = meter.CreateCounter<long>("safecities.sensors.pulses", "{pulse}",
            "Acoustic pulses reported by sensors: outcome=stored or duplicate.");
    }

    public void Gunshot(string origin, bool stored, int count = 1) =>
        gunshots.Add(count, new KeyValuePair<string, object?>("origin", origin), new KeyValuePair<string, object?>("outcome", stored ? "stored" : "duplicate"));

    public void Pulses(int stored, int duplicates)
    {
        if (stored > 0)
            pulses.Add(stored, new KeyValuePair<string, object?>("outcome", "stored"));
        if (duplicates > 0)
            pulses.Add(duplicates, new KeyValuePair<string, object?>("outcome", "duplicate"));
    }
}
