namespace SafeCities.Modules.Plates.Domain;

/// <summary>The single row (<see cref="SingletonId"/>) of Plates' reaction and ingestion settings.</summary>
internal sealed class PlatesReactionSettings
{
    public const int SingletonId = 1;
    public const int DefaultRadiusMeters = 500;
    public const int DefaultWindowBeforeMinutes = 10;
    public const int DefaultWindowAfterMinutes = 30;
    public const int DefaultMaxBatchSize = 1000;
    public static readonly string[] DefaultTriggerKinds = ["gunshot"];

    public int Id { get; init; } = SingletonId;
    public string[] TriggerKinds { get; set; } = [.. DefaultTriggerKinds];
    public int RadiusMeters { get; set; } = DefaultRadiusMeters;
    public int WindowBeforeMinutes { get; set; } = DefaultWindowBeforeMinutes;
    public int WindowAfterMinutes { get; set; } = DefaultWindowAfterMinutes;
    public int MaxBatchSize { get; set; } = DefaultMaxBatchSize;
    public DateTimeOffset? UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }

    public Snapshot ToSnapshot() => new([.. TriggerKinds], RadiusMeters, WindowBeforeMinutes, WindowAfterMinutes, MaxBatchSize);

    /// <summary>The values alone: what the audit record compares and what readers of the cache get.</summary>
    internal sealed record Snapshot(IReadOnlyList<string> TriggerKinds, int RadiusMeters, int WindowBeforeMinutes, int WindowAfterMinutes, int MaxBatchSize)
    {
        public bool SameAs(Snapshot other) =>
            TriggerKinds.SequenceEqual(other.TriggerKinds) && (RadiusMeters, WindowBeforeMinutes, WindowAfterMinutes, MaxBatchSize)
            == (other.RadiusMeters, other.WindowBeforeMinutes, other.WindowAfterMinutes, other.MaxBatchSize);
    }
}
