using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Lighting.Data;
using SafeCities.Modules.Shared.Outbox;

namespace SafeCities.Modules.Lighting.Features;

internal static class ReportKinds
{
    public const string LightsBrightened = "LightsBrightened";
    public const string LightsRestored = "LightsRestored";
    /// <summary>Lights were not raised, with the reason (daylight, no lights in range, incident too old).</summary>
    public const string LightingSkipped = "LightingSkipped";
    /// <summary>Lights not raised: the incident stood down before the reaction ran (a late delivery; ADR 0068, amended).</summary>
    public const string LightsNotRaised = "LightsNotRaised";
    /// <summary>Some lights did not answer their controller after every retry; names them.</summary>
    public const string LightingFailed = "LightingFailed";
}

/// <summary>
/// Timeline reports: written to Lighting's outbox with the change they describe (same <c>SaveChangesAsync</c>, same transaction) and
/// delivered after commit; a crash in between is healed by the outbox sweep (Alerts records each report once, by its id).
/// </summary>
internal static class LightingReports
{
    public const string Module = "Lighting";

    /// <param name="reportId">Fixed when a repeat of the cause must find the report (a relocation's); else new.</param>
    public static void Report(this LightingDbContext db, Guid incidentId, string kind, string text, DateTimeOffset at, Guid? reportId = null)
    {
        var id = reportId ?? Guid.CreateVersion7();
        db.AddOutboxMessage(new IncidentReactionReportedEvent(id, incidentId, Module, kind, at, text), id);
    }
}
