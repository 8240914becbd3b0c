using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Video.Contracts;

namespace SafeCities.Modules.Video.Domain;

/// <summary>How Video reacts to incidents (a single row, id 1, seeded with the defaults).</summary>
internal sealed class VideoReactionSettings
{
    public const int SingletonId = 1;

    public int Id { get; init; } = SingletonId;
    public string[] TriggerKinds { get; set; } = [IncidentKinds.Gunshot];
    public int PreSeconds { get; set; } = 30;
    public int PostMinutes { get; set; } = 5;
    public int MaxPtzCameras { get; set; } = 10;
    public DateTimeOffset? UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }

    public VideoReactionSettingsDto ToDto() => new(TriggerKinds, PreSeconds, PostMinutes, MaxPtzCameras, UpdatedAt, UpdatedBy);
}
