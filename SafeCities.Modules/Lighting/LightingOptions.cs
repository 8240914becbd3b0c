namespace SafeCities.Modules.Lighting;

/// <summary>How level commands are sent (configuration section <c>Lighting:Driver</c>); the reaction itself is configured on the settings page.</summary>
internal sealed class LightingDriverOptions
{
    public const string Section = "Lighting:Driver";
    /// <summary>Tries per light before it is reported as failed.</summary>
    public int Attempts { get; set; } = 3;
    /// <summary>Wait before the second try; doubles before each further try.</summary>
    public int BackoffMilliseconds { get; set; } = 200;
    /// <summary>One try that takes longer than this counts as failed.</summary>
    public int AttemptTimeoutSeconds { get; set; } = 5;
    /// <summary>Lights commanded at once.</summary>
    public int Parallelism { get; set; } = 8;
    /// <summary>Sweeps after which an unconfirmed restore is given up (and reported).</summary>
    public int MaxRestoreAttempts { get; set; } = 30;
}
