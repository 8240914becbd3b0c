namespace SafeCities.Modules.Alerts.Contracts;

/// <summary>
/// Where an on-duty officer is: their phone's "Share my position" switch (opt-in), or the demo city's patrols. Only the last position is
/// kept; hotlist hits near it are pushed to the officer.
/// </summary>
public sealed record ReportOfficerPositionCommand(string UserName, double? Latitude, double? Longitude, double? AccuracyMeters) : ICommand<OfficerPositionDto>;

public sealed record OfficerPositionDto(string UserName, double Latitude, double Longitude, double? AccuracyMeters, DateTimeOffset ReportedAt);
