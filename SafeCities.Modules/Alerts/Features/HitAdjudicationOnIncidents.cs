using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Alerts.Features;

/// <summary>
/// The hits behind a hotlist-hit incident (its timeline's Plates "HotlistHit" entries carry the hit ids) and the rule that an unconfirmed hit is
/// not acted on while its list's alert level says so (<see cref="HitAlertOptions.ConfirmBeforeAct"/>, ADR 0043).
/// </summary>
internal sealed class HitConfirmationGate(AlertsDbContext db, ISender sender, IOptions<HitAlertOptions> options)
{
    public async Task<IReadOnlyList<HotlistHitDto>> HitsAsync(Guid incidentId, CancellationToken ct)
    {
        var ids = await db.Timeline.AsNoTracking().Where(t => t.IncidentId == incidentId && t.Module == "Plates" && t.Kind == "HotlistHit")
            .Select(t => t.Id).ToListAsync(ct);
        return await sender.Send(new GetHotlistHitsQuery([incidentId, .. ids], SeesRestricted: false), ct);
    }

    /// <summary>Throws (409) when the incident is a hit none of whose reads is confirmed and its list's level requires confirmation.</summary>
    public async Task RequireConfirmedAsync(Guid incidentId, string what, CancellationToken ct)
    {
        var kind = await db.Incidents.Where(i => i.Id == incidentId).Select(i => i.Kind).FirstOrDefaultAsync(ct);
        if (kind != IncidentKinds.HotlistHit)
            return;
        var hits = await HitsAsync(incidentId, ct);
        if (hits.Count == 0 || hits.Any(h => h.Decision == HitDecisions.Confirmed) || !options.Value.MustConfirm(hits[0].AlertLevel))
            return;
        throw new DomainRuleException($"The hit is unconfirmed: confirm it (verify the plate visually) before {what}.");
    }
}

/// <summary>
/// A confirmed or rejected hit goes on its incident's timeline; a rejected one closes the incident with the outcome "rejected". Delivered by
/// Plates' outbox, possibly again: the timeline entry carries the decision's id and is written once, and a closed incident is not closed again.
/// </summary>
internal sealed class RecordHitDecisionOnIncidentHandler(AlertsDbContext db, IncidentBroadcaster broadcaster, IncidentLifecycle lifecycle)
    : INotificationHandler<HotlistHitDecidedEvent>
{
    public async ValueTask Handle(HotlistHitDecidedEvent e, CancellationToken ct)
    {
        var incidentId = await db.Timeline.Where(t => t.Id == e.HitId).Select(t => (Guid?)t.IncidentId).FirstOrDefaultAsync(ct)
                         ?? await db.Incidents.Where(i => i.Id == e.HitId).Select(i => (Guid?)i.Id).FirstOrDefaultAsync(ct);
        if (incidentId is not { } id)
            return; // a past-read hit: no incident
        if (!await db.Timeline.AnyAsync(t => t.Id == e.Id, ct))
        {
            var text = $"Hit {e.ReadPlate} {e.Decision} by {e.By}: {e.ReasonLabel}" + (e.Notes is null ? "" : $" — {e.Notes}");
            var entry = new TimelineEntry
            {
                Id = e.Id, IncidentId = id, At = e.At, Module = "Plates", Kind = e.Decision == HitDecisions.Confirmed ? "HitConfirmed" : "HitRejected",
                Text = text,
            };
            db.Timeline.Add(entry);
            await db.SaveChangesAsync(ct);
            await broadcaster.TimelineAppendedAsync(entry.ToDto());
        }
        if (e.Decision != HitDecisions.Rejected)
            return;
        var status = await db.Incidents.Where(i => i.Id == id).Select(i => i.Status).FirstAsync(ct);
        var notes = $"Hit rejected: {e.ReasonLabel}" + (e.Notes is null ? "" : $" — {e.Notes}");
        if (status != IncidentStatus.Closed)
            await lifecycle.ChangeAsync(id, e.By, "Closed", (i, by, at) => i.Close(by, at, RejectedOutcome, notes), ct, notes);
    }

    public const string RejectedOutcome = "rejected";
}
