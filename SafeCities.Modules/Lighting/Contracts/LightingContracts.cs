using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Lighting.Contracts;

/// <param name="NormalLevel">Dimming level (percent) the light returns to after an incident; default 40.</param>
public sealed record StreetlightSettings(string? Circuit = null, string? ControllerId = null, int? NormalLevel = null);

public sealed record RegisterStreetlightCommand(DeviceRegistration Device, StreetlightSettings Settings) : ICommand<DeviceDto>;

public sealed record ListStreetlightsQuery : IQuery<IReadOnlyList<DeviceDto>>;

// ---- CSV import -------------------------------------------------------------------------------------------------------

/// <summary>
/// One chunk of a streetlight CSV file (header <c>name,latitude,longitude,circuit,controllerId,normalLevel</c>). Valid lines are
/// imported, each bad line is reported with its number and reason; a chunk's valid lines commit together.
/// </summary>
/// <param name="Header">The file's first line, sent with every chunk.</param>
/// <param name="FirstLine">File line number (1 = header) of <paramref name="Lines"/>[0].</param>
public sealed record ImportStreetlightsCommand(string Header, int FirstLine, IReadOnlyList<string> Lines, string By) : ICommand<StreetlightImportResultDto>;

public sealed record StreetlightImportResultDto(int Imported, int Blank, IReadOnlyList<ImportRejectionDto> Rejected);

public sealed record ImportRejectionDto(int Line, string Reason);

// ---- Faults and work orders (TALQ vocabulary) -------------------------------------------------------------------------

public static class StreetlightFaultKinds
{
    public const string LampFailure = "lamp-failure";
    public const string SupplyLoss = "supply-loss";
    public const string RelayFailure = "relay-failure";
    public const string CommunicationFailure = "communication-failure";
    public static readonly IReadOnlyList<string> All = [LampFailure, SupplyLoss, RelayFailure, CommunicationFailure];
}

public static class StreetlightFaultStates
{
    public const string Active = "active";
    public const string Cleared = "cleared";
}

public sealed record StreetlightFaultReport(string Kind, string State, DateTimeOffset At);

/// <summary>A light reports its own faults (device key). Active opens one work order per light and fault kind; cleared closes it.</summary>
public sealed record ReportStreetlightFaultsCommand(Guid LightId, IReadOnlyList<StreetlightFaultReport> Faults, string By)
    : ICommand<StreetlightFaultsResultDto>;

/// <param name="State">normal, raised or faulty, after the report.</param>
public sealed record StreetlightFaultsResultDto(Guid LightId, string State, int Opened, int Closed, int Unchanged, IReadOnlyList<WorkOrderDto> OpenWorkOrders);

public sealed record WorkOrderDto(Guid Id, Guid LightId, string LightName, double Latitude, double Longitude, string? Circuit, string? ControllerId,
    string FaultKind, DateTimeOffset FaultAt, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, string? ClosedBy);

public sealed record ListOpenWorkOrdersQuery : IQuery<IReadOnlyList<WorkOrderDto>>;


// ---- Incident reaction settings ---------------------------------------------------------------------------------------

public sealed record LightingReactionSettingsDto(IReadOnlyList<string> TriggerKinds, int RadiusMeters, int LevelPercent, int DurationMinutes,
    DateTimeOffset? UpdatedAt, string? UpdatedBy)
{
    public static readonly LightingReactionSettingsDto Defaults = new([IncidentKinds.Gunshot], 150, 100, 15, null, null);
}

public sealed record GetLightingReactionSettingsQuery : IQuery<LightingReactionSettingsDto>;

/// <summary>Radius 10–2000 m, level 1–100 %, duration 1–240 min, at least one known incident kind. Audited.</summary>
public sealed record UpdateLightingReactionSettingsCommand(IReadOnlyList<string> TriggerKinds, int RadiusMeters, int LevelPercent, int DurationMinutes,
    string By) : ICommand<LightingReactionSettingsDto>;

// ---- What Lighting did about an incident ------------------------------------------------------------------------------

/// <param name="Outcome">raised, daylight, stale (the reaction ran later than the raise would last), no-lights, or failed (no light answered).</param>
/// <param name="Summary">The one-line decision as reported on the timeline.</param>
public sealed record IncidentLightingDto(Guid IncidentId, string Outcome, string Summary, int RadiusMeters, int LevelPercent, DateTimeOffset DecidedAt,
    DateTimeOffset? RestoreDueAt, DateTimeOffset? RestoredAt, IReadOnlyList<IncidentLightDto> Lights);

/// <param name="State">raised (still up), restored, failed (the controller never confirmed the raise) or restore-failed (never confirmed the restore).</param>
public sealed record IncidentLightDto(Guid LightId, string Name, double Latitude, double Longitude, int Level, string State);

/// <summary>Lighting's reaction to an incident, or null when it had none (kind not configured, or not processed yet).</summary>
public sealed record GetIncidentLightingQuery(Guid IncidentId) : IQuery<IncidentLightingDto?>;
