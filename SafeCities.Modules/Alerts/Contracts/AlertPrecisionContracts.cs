using SafeCities.Modules.Shared.Time;

namespace SafeCities.Modules.Alerts.Contracts;

/// <summary>
/// A person corrects an incident's classification (<paramref name="Kind"/>) and/or location after the fact, with a reason. Each changed field is
/// kept (who, when, before → after), never overwritten, and counted per source on the precision pages (ADR 0044). A closed incident keeps its
/// outcome, so a new kind must have that outcome too (otherwise reopen it first).
/// </summary>
public sealed record CorrectIncidentCommand(Guid IncidentId, string By, string? Kind, double? Latitude, double? Longitude, string? Reason)
    : ICommand<IncidentDto>;

/// <param name="Field">kind or location.</param>
/// <param name="AfterClose">The incident had been closed before (an after-the-fact change).</param>
public sealed record IncidentCorrectionDto(Guid Id, Guid IncidentId, DateTimeOffset At, string By, string Field, string Before, string After, string Reason,
    bool AfterClose)
{
    public const string KindField = "kind", LocationField = "location";

    /// <summary><see cref="Before"/> as people read it: a kind by its label ("Citizen report"), a place as recorded.</summary>
    public string BeforeText => Text(Field, Before);

    public string AfterText => Text(Field, After);

    public static string Text(string field, string value) => field == KindField ? IncidentKinds.Label(value) : value;
}

/// <summary>Which outcomes count as evidence for an alert's precision, and which mean it was not attended (ADR 0044).</summary>
public static class AlertEvidence
{
    /// <summary>Evidence of gunfire found; hit confirmed and stopped; environmental alert confirmed.</summary>
    public static readonly IReadOnlyList<string> EvidenceOutcomes = ["gunfire-found", "stopped", "confirmed"];

    /// <summary>Closed without anyone attending (not in the precision's denominator): not attended; a duplicate of another alert.</summary>
    public static readonly IReadOnlyList<string> NotAttendedOutcomes = ["not-attended", "duplicate"];
}

/// <summary>Per month (in <paramref name="TimeZone"/>), incident kind and source: alerts, attended, outcomes and precision with its Wilson 95 % interval.</summary>
public sealed record GetAlertPrecisionQuery(DateTimeOffset From, DateTimeOffset To, string TimeZone) : IQuery<AlertPrecisionDto>, IMonthlyPeriodQuery;

/// <param name="Attended">Closed with an outcome other than <see cref="AlertEvidence.NotAttendedOutcomes"/>.</param>
/// <param name="WithEvidence">Closed with one of <see cref="AlertEvidence.EvidenceOutcomes"/>.</param>
/// <param name="Precision">WithEvidence / Attended; null when none was attended.</param>
/// <param name="Corrected">Incidents whose kind or location was changed after they had been closed.</param>
public sealed record AlertPrecisionRowDto(string Month, string Kind, string Source, int Alerts, int Closed, int Attended, int WithEvidence,
    IReadOnlyDictionary<string, int> Outcomes, double? Precision, double? Low, double? High, int Corrected);

/// <param name="CorrectedAfterClose">Every after-the-fact change of an incident opened in the period, newest first.</param>
public sealed record AlertPrecisionDto(DateTimeOffset From, DateTimeOffset To, string TimeZone, IReadOnlyList<AlertPrecisionRowDto> Rows,
    IReadOnlyList<IncidentCorrectionDto> CorrectedAfterClose);
