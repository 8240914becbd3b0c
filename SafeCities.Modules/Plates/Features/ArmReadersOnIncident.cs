using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Plates.Features;

/// <summary>
/// An incident of a configured kind arms the plate readers within the radius for its window and reports it (Plates' outbox, in the
/// same transaction). Idempotent per incident: the reaction row is the key, a re-run (Alerts' sweep re-publishes after any failing
/// handler) finds it and does nothing again. The reads the armed readers already sent are tied to the incident afterwards, by
/// <see cref="LinkReadsAlreadySentOnIncidentOpenedHandler"/>: the arming holds the lock every ingesting batch waits for, so it must be short.
/// </summary>
internal sealed class ArmPlateReadersOnIncidentOpenedHandler(PlatesDbContext db, PlatesSettingsStore settings, LateReactions late, TimeProvider clock)
    : INotificationHandler<IncidentOpenedEvent>
{
    public async ValueTask Handle(IncidentOpenedEvent incident, CancellationToken cancellationToken)
    {
        if (await FindAsync(incident.IncidentId, cancellationToken) is not null)
            return;
        var s = await settings.GetAsync(cancellationToken);
        if (!s.TriggerKinds.Contains(incident.Kind))
            return;
        try
        {
            await ArmAsync(incident, s, cancellationToken);
        }
        catch
        {
            db.ChangeTracker.Clear(); // the other handlers of this opening share the context: nothing half-done may be saved by them
            throw;
        }
    }

    private Task<IncidentReaction?> FindAsync(Guid incidentId, CancellationToken ct) =>
        db.Reactions.AsNoTracking().SingleOrDefaultAsync(r => r.IncidentId == incidentId, ct);

    /// <returns>null when the incident stood down before the arming (a late delivery).</returns>
    private async Task<IncidentReaction?> ArmAsync(IncidentOpenedEvent opened, PlatesReactionSettings.Snapshot s, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Waits for batches being ingested (they hold it shared) so that the look-back (after this commit) sees every read committed
        // before the arming, and makes batches arriving from now on see these armings: no read falls between the two.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLocks.PlatesArming})", ct);
        if (await FindAsync(opened.IncidentId, ct) is { } concurrent)
            return concurrent;
        // Delivered late (a retry, the sweep after a crash): the readers where the incident is now; none start tying reads once it stood down.
        var (incident, standDown) = await late.AsNowAsync(opened, s.TriggerKinds, ct);
        if (standDown is not null)
        {
            await db.SayNotReactedAsync(standDown, PlatesReports.Module, "PlateReadersNotArmed", "plate readers not armed", now, ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
            return null;
        }

        var window = ArmingWindow.Around(incident.OccurredAt, s.WindowBeforeMinutes, s.WindowAfterMinutes);
        var here = GeoMath.Point(incident.Latitude, incident.Longitude);
        var readers = await db.Readers.Where(r => r.Location.IsWithinDistance(here, s.RadiusMeters)).Select(r => r.Id).ToListAsync(ct);
        var reaction = new IncidentReaction
        {
            IncidentId = incident.IncidentId, Kind = incident.Kind, Latitude = incident.Latitude, Longitude = incident.Longitude,
            OccurredAt = incident.OccurredAt.ToUniversalTime(), RadiusMeters = s.RadiusMeters, WindowStart = window.Start, WindowEnd = window.End,
            ReadersArmed = readers.Count, ArmedReactionId = Guid.CreateVersion7(), ReactedAt = now,
        };
        db.Reactions.Add(reaction);
        db.AddOutboxMessage(PlatesReports.Armed(reaction), reaction.ArmedReactionId);
        db.Armings.AddRange(readers.Select(readerId => new ReaderArming
        {
            Id = Guid.CreateVersion7(), IncidentId = incident.IncidentId, ReaderId = readerId, WindowStart = window.Start, WindowEnd = window.End, ArmedAt = now,
        }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return reaction;
    }

    /// <summary>The link time as PostgreSQL stores it (microseconds).</summary>
    internal static DateTimeOffset Microseconds(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);
}

/// <summary>
/// After the readers are armed (and the other reactions to the opening have run: <see cref="IRunsAfterReactions"/>), ties the reads they had
/// already sent from the incident's window to it and reports them in one linking pass. Outside the arming's lock: a busy reader may have
/// sent tens of thousands of reads in the window, and every ingesting batch in the city would wait for the arming meanwhile. Reads that
/// arrive after the arming are linked by the ingestion itself; the two may meet on the same read, which is linked once (ON CONFLICT). The
/// pass id is fixed per incident, so a re-published opening links and reports nothing twice.
/// </summary>
internal sealed class LinkReadsAlreadySentOnIncidentOpenedHandler(PlatesDbContext db, PlatesSettingsStore settings, LateReactions late, TimeProvider clock)
    : INotificationHandler<IncidentOpenedEvent>, IRunsAfterReactions
{
    public async ValueTask Handle(IncidentOpenedEvent incident, CancellationToken cancellationToken)
    {
        if (!await db.Reactions.AnyAsync(r => r.IncidentId == incident.IncidentId && r.ReadersArmed > 0, cancellationToken))
            return;   // not a kind Plates reacts to, no reader in range, or the arming failed (its own handler's failure is reported)
        // Closed or reclassified while the readers were armed: its stand-down, delivered meanwhile, found no arming yet (ADR 0068, amended).
        // The window ends at the stand-down first, so the look-back ties only what was captured before it, as for any stood-down incident.
        if (await late.StandDownInForceAsync(incident.IncidentId, (await settings.GetAsync(cancellationToken)).TriggerKinds, cancellationToken) is { } standDown)
            await DisarmPlateReadersOnIncidentStandDownHandler.DisarmAsync(db, standDown, clock, cancellationToken);
        await LinkAsync(db, incident.IncidentId, PassId(incident.IncidentId), clock, cancellationToken);
    }

    /// <summary>
    /// Ties the reads the incident's armed readers already sent from their windows and that are not tied to it yet, as one linking pass
    /// reported once: a pass whose report is found was done by an earlier (or a concurrent) delivery.
    /// </summary>
    internal static async Task LinkAsync(PlatesDbContext db, Guid incidentId, Guid passId, TimeProvider clock, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync(
            $"SELECT pg_advisory_xact_lock({AdvisoryLocks.PerIncident(AdvisoryLocks.PlatesLookBackPerIncident, incidentId)})", ct);
        if (await db.HasOutboxMessageAsync(passId, ct))
            return;
        var now = ArmPlateReadersOnIncidentOpenedHandler.Microseconds(clock.GetUtcNow());
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO plates.incident_reads (incident_id, plate_read_id, pass_id, linked_at)
            SELECT a.incident_id, r.id, {passId}, {now}
            FROM plates.reader_armings a
            JOIN plates.plate_reads r ON r.reader_id = a.reader_id AND r.captured_at BETWEEN a.window_start AND a.window_end
            WHERE a.incident_id = {incidentId}
            ON CONFLICT DO NOTHING
            """, ct);
        var lines = await PlatesReports.LinesAsync(db, passId, ct);
        if (lines.Count > 0)
        {
            db.AddOutboxMessage(PlatesReports.Captured(passId, incidentId, now, lines), passId);
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }

    /// <summary>The look-back's pass id, fixed per incident.</summary>
    internal static Guid PassId(Guid incidentId) => StableId.Of($"plates-lookback:{incidentId}");
}

/// <summary>
/// A person corrected the location of an incident Plates armed readers for (ADR 0067): the readers within the same radius of the corrected
/// place that are not armed yet are armed for the same window, the reads they already sent from it are tied to the incident, and both are
/// reported. Readers armed at the first location stay armed (their reads of the window are evidence of where it was first thought to be).
/// Once per relocation (its report's id is fixed by the relocation); the arming takes the same lock as at the opening, and is as short.
/// </summary>
internal sealed class ArmPlateReadersOnIncidentRelocatedHandler(PlatesDbContext db, PlatesSettingsStore settings, LateReactions late, TimeProvider clock)
    : INotificationHandler<IncidentRelocatedEvent>
{
    public async ValueTask Handle(IncidentRelocatedEvent moved, CancellationToken cancellationToken)
    {
        var triggers = (await settings.GetAsync(cancellationToken)).TriggerKinds;
        if (!triggers.Contains(moved.Kind) || await late.StandDownInForceAsync(moved.IncidentId, triggers, cancellationToken) is not null)
            return;   // …or delivered late to an incident stood down meanwhile
        if (!await ArmAsync(moved, cancellationToken))
            return;   // Plates did not react to the incident's opening
        // Apart from the arming (its lock holds every ingesting batch up) and checked by its own report: a delivery again after a crash
        // between the two still links. Reads already tied to the incident (the first location's readers') are not tied again.
        await LinkReadsAlreadySentOnIncidentOpenedHandler.LinkAsync(db, moved.IncidentId, StableId.Of($"plates-relocation-lookback:{moved.RelocationId}"),
            clock, cancellationToken);
    }

    /// <returns>Whether Plates reacted to the incident (armed readers at its opening, or found none).</returns>
    private async Task<bool> ArmAsync(IncidentRelocatedEvent moved, CancellationToken cancellationToken)
    {
        var reportId = StableId.Of($"plates-relocation:{moved.RelocationId}");
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLocks.PlatesArming})", cancellationToken);
            if (await db.Reactions.SingleOrDefaultAsync(r => r.IncidentId == moved.IncidentId, cancellationToken) is not { } reaction)
                return false;
            if (IncidentPlace.Same(reaction.Latitude, reaction.Longitude, moved.Latitude, moved.Longitude)
                || await db.HasOutboxMessageAsync(reportId, cancellationToken))
                return true;   // armed there already: at the opening a corrected kind caused, or by an earlier delivery of this relocation
            var here = GeoMath.Point(moved.Latitude, moved.Longitude);
            var near = await db.Readers.Where(r => r.Location.IsWithinDistance(here, reaction.RadiusMeters)).Select(r => r.Id).ToListAsync(cancellationToken);
            var armed = (await db.Armings.Where(a => a.IncidentId == moved.IncidentId).Select(a => a.ReaderId).ToListAsync(cancellationToken)).ToHashSet();
            var added = near.Where(id => !armed.Contains(id)).ToList();
            var now = clock.GetUtcNow();
            db.Armings.AddRange(added.Select(readerId => new ReaderArming
            {
                Id = Guid.CreateVersion7(), IncidentId = moved.IncidentId, ReaderId = readerId, WindowStart = reaction.WindowStart, WindowEnd = reaction.WindowEnd,
                ArmedAt = now,
            }));
            (reaction.Latitude, reaction.Longitude, reaction.ReadersArmed) = (moved.Latitude, moved.Longitude, reaction.ReadersArmed + added.Count);
            db.AddOutboxMessage(PlatesReports.Rearmed(reportId, moved.IncidentId, now, added.Count, reaction.RadiusMeters, armed.Count,
                armed.Count(id => !near.Contains(id))),
                reportId);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}

/// <summary>
/// An incident stood down (closed, or its kind corrected to one Plates does not react to; ADR 0068): its armed readers stop tying reads to it.
/// The armings' windows end at the stand-down, so a read captured later is not tied, while one captured before and sent later still is; the
/// reads tied so far stay with it. Under the arming lock, as the arming: a batch being ingested commits before (its reads tied by the window it
/// saw) or sees the window ended. Once: a window that has ended is never changed again (the report's id is fixed by the stand-down too).
/// </summary>
internal sealed class DisarmPlateReadersOnIncidentStandDownHandler(PlatesDbContext db, PlatesSettingsStore settings, TimeProvider clock)
    : INotificationHandler<IncidentStandDownEvent>
{
    public async ValueTask Handle(IncidentStandDownEvent e, CancellationToken cancellationToken)
    {
        if (e.Applies((await settings.GetAsync(cancellationToken)).TriggerKinds))
            await DisarmAsync(db, e, clock, cancellationToken);
    }

    /// <summary>Ends the incident's armings and reaction window at the stand-down, once (also for an arming that met it late).</summary>
    internal static async Task DisarmAsync(PlatesDbContext db, IncidentStandDownEvent e, TimeProvider clock, CancellationToken cancellationToken)
    {
        var reportId = StableId.Of($"plates-stand-down:{e.StandDownId}");
        var at = ArmPlateReadersOnIncidentOpenedHandler.Microseconds(e.At);
        // Most closed incidents armed nothing (a hotlist hit, daylight elsewhere…): they do not take the lock every ingesting batch waits for.
        if (!await db.Reactions.AnyAsync(r => r.IncidentId == e.IncidentId && r.ReadersArmed > 0 && r.WindowEnd > at, cancellationToken))
            return;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLocks.PlatesArming})", cancellationToken);
            // Checked again under the lock: a window over already (its own end, or an earlier stand-down or delivery of this one) stays as it is.
            if (await db.Reactions.SingleOrDefaultAsync(r => r.IncidentId == e.IncidentId, cancellationToken) is not { ReadersArmed: > 0 } reaction
                || reaction.WindowEnd <= at)
                return;
            var readers = await db.Armings.Where(a => a.IncidentId == e.IncidentId && a.WindowEnd > at)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.WindowEnd, at), cancellationToken);
            reaction.WindowEnd = at;
            var tied = await db.IncidentReads.CountAsync(r => r.IncidentId == e.IncidentId, cancellationToken);
            db.AddOutboxMessage(PlatesReports.Disarmed(reportId, e.IncidentId, clock.GetUtcNow(), e.Why, readers, tied), reportId);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
