namespace SafeCities.Modules.Plates;

/// <summary>Deployment settings (appsettings <c>Plates</c>); what administrators tune at run time is in <c>plates.reaction_settings</c>.</summary>
internal sealed class PlatesOptions
{
    public const string Section = "Plates";
    /// <summary>How far in the future a reader's clock may be before its read is refused.</summary>
    public int MaxClockSkewSeconds { get; set; } = 120;
    /// <summary>How long a node keeps the reaction settings in memory (a change on this node applies at once).</summary>
    public int SettingsCacheSeconds { get; set; } = 30;

    // ---- ingestion at scale (POST /api/v1/plates/reads) ----
    /// <summary>Largest request body accepted for a batch of reads; larger is refused with 413 before it is read.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;
    /// <summary>Batches being validated and written at once on this node (each holds at most one body in memory).</summary>
    public int MaxConcurrentIngestions { get; set; } = 8;
    /// <summary>Batches allowed to wait for a slot (their bodies are not read yet); more are shed at once with 429.</summary>
    public int MaxQueuedIngestions { get; set; } = 64;
    /// <summary>A batch that waited this long for a slot is shed with 503.</summary>
    public int IngestionQueueTimeoutSeconds { get; set; } = 10;
    /// <summary>The <c>Retry-After</c> sent with 429 and 503.</summary>
    public int RetryAfterSeconds { get; set; } = 2;
    /// <summary>Day partitions of plates.plate_reads the hourly job keeps made ahead of today.</summary>
    public int PartitionDaysAhead { get; set; } = 7;

    // ---- the automatic co-location of a new incident (a background job) ----
    /// <summary>How long the automatic co-location of a new incident may run; a longer one is abandoned (logged), not retried.</summary>
    public int AutomaticColocationSeconds { get; set; } = 10;

    // ---- retention ----
    /// <summary>Reads older than this many days are deleted by the daily retention job (reads tied to incidents are kept as evidence).</summary>
    public int ReadRetentionDays { get; set; } = 30;
}
