namespace SafeCities.Modules.Video.Contracts;

/// <param name="TriggerKinds">Incident kinds the cameras react to (Alerts.Contracts.IncidentKinds).</param>
/// <param name="PreSeconds">Bookmarks start this many seconds before the incident (0–600).</param>
/// <param name="PostMinutes">… and end this many minutes after it (1–120).</param>
/// <param name="MaxPtzCameras">At most this many PTZ cameras, nearest first, are turned toward one incident (1–50).</param>
public sealed record VideoReactionSettingsDto(IReadOnlyList<string> TriggerKinds, int PreSeconds, int PostMinutes, int MaxPtzCameras,
    DateTimeOffset? UpdatedAt, string? UpdatedBy);

public sealed record GetVideoReactionSettingsQuery : IQuery<VideoReactionSettingsDto>;

/// <summary>Changes the camera reaction settings; audited (who, when, before and after).</summary>
public sealed record UpdateVideoReactionSettingsCommand(IReadOnlyList<string> TriggerKinds, int PreSeconds, int PostMinutes, int MaxPtzCameras,
    string By) : ICommand<VideoReactionSettingsDto>;
