namespace SafeCities.Modules.Alerts.Contracts;

/// <summary>One outcome a person may give when closing an incident: a stable code (stored, exported, filtered on) and its label.</summary>
public sealed record IncidentOutcomeDto(string Code, string Label);

/// <summary>
/// The fixed outcomes per incident kind (ADR 0014): what staff choose from when they close an incident. Every list ends with "other"
/// (then the notes say what).
/// </summary>
public static class IncidentOutcomes
{
    public const string Other = "other";
    public const int MaxNotes = 2000;

    public static readonly IReadOnlyList<IncidentOutcomeDto> Gunshot =
    [
        new("gunfire-found", "Evidence of gunfire found"), new("no-evidence", "No evidence found"),
        new("other-sound", "Other sound confirmed"), new("not-attended", "Not attended"), new(Other, "Other"),
    ];

    public static readonly IReadOnlyList<IncidentOutcomeDto> HotlistHit =
    [
        new("stopped", "Confirmed and stopped"), new("rejected", "Rejected (misread or mismatch)"), new("not-located", "Not located"),
        new(Other, "Other"),
    ];

    public static readonly IReadOnlyList<IncidentOutcomeDto> Any =
    [
        new("confirmed", "Confirmed"), new("sensor-fault", "Sensor fault"), new("duplicate", "Duplicate"), new(Other, "Other"),
    ];

    public static IReadOnlyList<IncidentOutcomeDto> For(string kind) => kind switch
    {
        IncidentKinds.Gunshot => Gunshot,
        IncidentKinds.HotlistHit => HotlistHit,
        _ => Any,
    };

    /// <summary>Every kind's outcomes, for the pages' close dialogs (kind "*" = any other kind).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<IncidentOutcomeDto>> ByKind { get; } = new Dictionary<string, IReadOnlyList<IncidentOutcomeDto>>
    {
        [IncidentKinds.Gunshot] = Gunshot, [IncidentKinds.HotlistHit] = HotlistHit, ["*"] = Any,
    };

    /// <summary>Every code of every kind (a history search may filter on any of them).</summary>
    public static IReadOnlyList<string> AllCodes { get; } = Gunshot.Concat(HotlistHit).Concat(Any).Select(o => o.Code).Distinct().ToList();

    public static string Label(string kind, string? code) =>
        code is null ? "" : For(kind).FirstOrDefault(o => o.Code == code)?.Label ?? code;
}

/// <summary>closed → open again (kept in the status history, with the reason in the notes).</summary>
public sealed record ReopenIncidentCommand(Guid IncidentId, string By, string? Notes = null) : ICommand<IncidentDto>;

/// <summary>A note by staff on an incident (plain text, ≤ 2,000 characters); audited and put on the timeline.</summary>
public sealed record AddIncidentNoteCommand(Guid IncidentId, string By, string? Text) : ICommand<IncidentNoteDto>;

public sealed record IncidentNoteDto(Guid Id, Guid IncidentId, DateTimeOffset At, string By, string Text);

/// <summary>One change of an incident's status, as it happened (never changed afterwards): who, when, from and to, outcome and notes.</summary>
public sealed record IncidentStatusChangeDto(Guid Id, Guid IncidentId, DateTimeOffset At, string By, string FromStatus, string ToStatus, string? Outcome,
    string? Notes);

/// <summary>An incident's notes and status history, oldest first.</summary>
public sealed record GetIncidentRecordQuery(Guid IncidentId) : IQuery<IncidentRecordDto?>;

/// <param name="Corrections">Changes of classification and location (who, when, before → after, why), oldest first.</param>
public sealed record IncidentRecordDto(IReadOnlyList<IncidentNoteDto> Notes, IReadOnlyList<IncidentStatusChangeDto> History,
    IReadOnlyList<IncidentCorrectionDto>? Corrections = null);

/// <summary>
/// The incident history: every incident (or only <paramref name="Status"/>) opened in [<paramref name="From"/>, <paramref name="To"/>), of a kind,
/// with an outcome, in a police district (its code), near a point (<paramref name="Latitude"/>, <paramref name="Longitude"/>, <paramref name="RadiusMeters"/>) or inside a box
/// (<paramref name="South"/>…<paramref name="East"/>), newest first, one page at a time.
/// </summary>
public sealed record SearchIncidentHistoryQuery(DateTimeOffset? From = null, DateTimeOffset? To = null, string? Kind = null, string? Status = null,
    string? Outcome = null, double? Latitude = null, double? Longitude = null, double? RadiusMeters = null, double? South = null, double? West = null,
    double? North = null, double? East = null, int Page = 1, int PageSize = 25, string? District = null) : IQuery<IncidentHistoryPageDto>;

public sealed record IncidentHistoryPageDto(IReadOnlyList<IncidentDto> Items, int Total, int Page, int PageSize);
