using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;

namespace SafeCities.Modules.Plates.Features;

/// <summary>
/// Plates' reports for the incident timeline, each an <see cref="IncidentReactionReportedEvent"/> written to Plates' outbox with the
/// change it reports (the arming, the linking pass): the outbox delivers it after commit, and again after a crash.
/// </summary>
internal static class PlatesReports
{
    public const string Module = "Plates";

    /// <summary>Readers armed (or none in range), id fixed per incident (<see cref="IncidentReaction.ArmedReactionId"/>).</summary>
    public static IncidentReactionReportedEvent Armed(IncidentReaction reaction) =>
        new(reaction.ArmedReactionId, reaction.IncidentId, Module, reaction.ReadersArmed == 0 ? "NoPlateReadersInRange" : "PlateReadersArmed",
            reaction.ReactedAt, ReactionText.Armed(reaction.ReadersArmed, reaction.RadiusMeters, new ArmingWindow(reaction.WindowStart, reaction.WindowEnd),
                reaction.OccurredAt));

    /// <summary>Readers armed at an incident's corrected location; its id is fixed by the relocation.</summary>
    public static IncidentReactionReportedEvent Rearmed(Guid reportId, Guid incidentId, DateTimeOffset at, int added, int radiusMeters, int armedBefore,
        int stay) =>
        new(reportId, incidentId, Module, added == 0 ? "NoPlateReadersInRange" : "PlateReadersArmed", at,
            ReactionText.Rearmed(added, radiusMeters, armedBefore, stay));

    /// <summary>The incident's readers disarmed when it stood down (ADR 0068); its id is fixed by the stand-down.</summary>
    public static IncidentReactionReportedEvent Disarmed(Guid reportId, Guid incidentId, DateTimeOffset at, string why, int readers, int tied) =>
        new(reportId, incidentId, Module, "PlateReadersDisarmed", at, ReactionText.Disarmed(why, readers, tied));

    /// <summary>One linking pass tied reads to an incident (at arming time, or as armed readers sent them later); its id is the pass id.</summary>
    public static IncidentReactionReportedEvent Captured(Guid passId, Guid incidentId, DateTimeOffset linkedAt, IReadOnlyList<LinkedReadLine> lines) =>
        new(passId, incidentId, Module, "IncidentReadsCaptured", linkedAt, ReactionText.Captured(lines));

    /// <summary>Vehicles seen near a new incident and related open incidents (the automatic co-location).</summary>
    public static IncidentReactionReportedEvent Colocated(Guid reactionId, Guid incidentId, DateTimeOffset at, string text) =>
        new(reactionId, incidentId, Module, "VehiclesColocated", at, text);

    /// <summary>The lines of one linking pass, as stored (plate, vehicle, reader).</summary>
    public static Task<List<LinkedReadLine>> LinesAsync(PlatesDbContext db, Guid passId, CancellationToken ct) => (
            from link in db.IncidentReads.Where(l => l.PassId == passId)
            join read in db.Reads on link.PlateReadId equals read.Id
            join reader in db.Readers on read.ReaderId equals reader.Id into readers
            from reader in readers.DefaultIfEmpty()
            select new LinkedReadLine(read.Plate, read.Region, read.CapturedAt, read.Make, read.Model, read.Color, reader == null ? "an unknown reader" : reader.Name))
        .AsNoTracking().ToListAsync(ct);
}
