namespace SafeCities.Modules.Plates.Domain;

/// <summary>
/// What one retention run deleted for one day of one data class ("reads", "hits"…): counts only, never a plate. The public
/// transparency page counts from these rows.
/// </summary>
internal sealed class RetentionRun
{
    public const string Reads = "reads";

    public long Id { get; init; }
    public DateTimeOffset RunAt { get; init; }
    public required string DataClass { get; init; }
    /// <summary>The UTC day (capture day for reads) the counts are about.</summary>
    public DateOnly Day { get; init; }
    public long Deleted { get; init; }
    /// <summary>Rows of that day past retention but kept because they are evidence (linked to an incident).</summary>
    public long KeptAsEvidence { get; init; }
}
