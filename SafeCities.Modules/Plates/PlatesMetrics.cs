using System.Diagnostics.Metrics;
using SafeCities.Modules.Plates.Features;
using SafeCities.Modules.Shared.Observability;

namespace SafeCities.Modules.Plates;

/// <summary>
/// Plate-read ingestion as operators watch it (README, Observability): reads stored and repeated, batches shed, and the
/// admission gate's occupancy. Counting costs two counter additions per batch, never one per read.
/// </summary>
internal sealed class PlatesMetrics : IMetricsSource
{
    public const string QueueFull = "queue_full";
    public const string SlotTimeout = "slot_timeout";
    public const string DatabaseUnavailable = "database_unavailable";

    private static readonly KeyValuePair<string, object?> Stored = new("outcome", "stored");
    private static readonly KeyValuePair<string, object?> Duplicate = new("outcome", "duplicate");

    public PlatesMetrics(IMeterFactory meters, PlateIngestionGate gate)
    {
        var meter = meters.Create("SafeCities.Plates");
        Reads = meter.CreateCounter<long>("safecities.plates.reads", "{read}",
            "Plate reads accepted by ingestion: outcome=stored (new, committed) or duplicate (a read the reader had already sent).");
        Shed = meter.CreateCounter<long>("safecities.plates.ingestion.shed", "{batch}",
            "Batches refused because this node or the database was saturated (429/503 with Retry-After; nothing of them was stored).");
        meter.CreateObservableGauge("safecities.plates.ingestion.active", () => Occupancy(gate).Active, "{batch}",
            "Batches holding an ingestion slot on this node.");
        meter.CreateObservableGauge("safecities.plates.ingestion.queued", () => Occupancy(gate).Queued, "{batch}",
            "Batches waiting for an ingestion slot on this node.");
    }

    public Counter<long> Reads { get; }

    public Counter<long> Shed { get; }

    public void ReadsIngested(int stored, int duplicates)
    {
        if (stored > 0)
            Reads.Add(stored, Stored);
        if (duplicates > 0)
            Reads.Add(duplicates, Duplicate);
    }

    public void BatchShed(int status, string reason) =>
        Shed.Add(1, new KeyValuePair<string, object?>("status", status), new KeyValuePair<string, object?>("reason", reason));

    private static (long Active, long Queued) Occupancy(PlateIngestionGate gate) =>
        gate.Statistics is { } s ? (gate.Slots - s.CurrentAvailablePermits, s.CurrentQueuedCount) : (0, 0);
}
