namespace SafeCities.Modules.Video;

/// <summary>How camera commands are sent (configuration section <c>Video:Cameras</c>).</summary>
internal sealed class VideoOptions
{
    public const string Section = "Video:Cameras";
    /// <summary>Attempts per command (point, bookmark) before the camera is reported as failed.</summary>
    public int CommandAttempts { get; set; } = 3;
    /// <summary>Wait before the second attempt; doubled before each further one.</summary>
    public int RetryDelayMilliseconds { get; set; } = 250;
    /// <summary>One attempt that has not answered after this long counts as failed.</summary>
    public int CommandTimeoutSeconds { get; set; } = 5;
    /// <summary>Cameras commanded at the same time (started nearest first).</summary>
    public int MaxParallelCommands { get; set; } = 8;
}
