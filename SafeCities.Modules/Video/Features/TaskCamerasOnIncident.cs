using System.Globalization;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Video.Contracts;
using SafeCities.Modules.Video.Data;
using SafeCities.Modules.Video.Domain;
using SafeCities.Modules.Video.Drivers;
using SafeCities.Modules.Video.Evidence;
using SafeCities.Modules.Shared.Persistence;
using SafeCities.Modules.Shared.Text;

namespace SafeCities.Modules.Video.Features;

/// <summary>
/// A new incident of a configured kind: PTZ cameras within range turn toward it (nearest first), fixed cameras whose view covers
/// it are listed, and every one of them gets a recording bookmark around the incident time. What happened is stored per
/// camera and reported on the incident's timeline. Idempotent per incident: the reaction, its cameras and its reports (Video's
/// outbox) are written together once; the outbox delivers the reports after commit, again after a crash.
/// When a person corrects the incident's location, the cameras are tasked again at the corrected place (ADR 0067): those that can see it
/// turn to it or cover it (bookmarked if they were not already), those tasked at the first location that cannot see the corrected one
/// are left as they are and listed so; once per relocation (its report's id is fixed by the relocation).
/// </summary>
internal sealed class TaskCamerasOnIncidentHandler(VideoDbContext db, CameraCommander commander, TimeProvider clock,
    RecordingSystems recordingSystems, AutomaticClips automaticClips, IOptions<EvidenceOptions> evidence,
    LateReactions late, ILogger<TaskCamerasOnIncidentHandler> logger) : INotificationHandler<IncidentOpenedEvent>, INotificationHandler<IncidentRelocatedEvent>
{
    /// <summary>Candidates come from the spatial index within the longest possible range (plus slack for the spheroid); geometry decides.</summary>
    private const double SearchMeters = CameraGeometry.MaxRangeMeters + 50;

    public async ValueTask Handle(IncidentOpenedEvent opened, CancellationToken cancellationToken)
    {
        var settings = await db.ReactionSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new VideoReactionSettings();
        if (!settings.TriggerKinds.Contains(opened.Kind))
            return;
        await UnderIncidentLockAsync(opened.IncidentId, async () =>
        {
            if (await db.IncidentReactions.AnyAsync(r => r.IncidentId == opened.IncidentId, cancellationToken))
                return;
            // Delivered late (a retry, the sweep after a crash): the cameras turn to where the incident is now, and to none once it stood down.
            var (incident, standDown) = await late.AsNowAsync(opened, settings.TriggerKinds, cancellationToken);
            if (standDown is null)
                await ReactAsync(incident, settings, cancellationToken);
            else
                await db.SayNotReactedAsync(standDown, "Video", "CamerasNotTasked", "cameras not turned", clock.GetUtcNow(), cancellationToken);
        }, cancellationToken);
    }

    public async ValueTask Handle(IncidentRelocatedEvent moved, CancellationToken cancellationToken)
    {
        var settings = await db.ReactionSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new VideoReactionSettings();
        if (!settings.TriggerKinds.Contains(moved.Kind) || await late.StandDownInForceAsync(moved.IncidentId, settings.TriggerKinds, cancellationToken) is not null)
            return;   // …or delivered late to an incident stood down meanwhile
        var reportId = StableId.Of($"video-relocation:{moved.RelocationId}");
        await UnderIncidentLockAsync(moved.IncidentId, async () =>
        {
            // Only an incident Video reacted to (its opening's reaction comes first: both take this lock); once per relocation.
            if (await db.IncidentReactions.SingleOrDefaultAsync(r => r.IncidentId == moved.IncidentId, cancellationToken) is { } reaction
                && !IncidentPlace.Same(reaction.Latitude, reaction.Longitude, moved.Latitude, moved.Longitude)
                && !await db.HasOutboxMessageAsync(reportId, cancellationToken))
                await RetaskAsync(moved, reaction, settings, reportId, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>One delivery at a time per incident (the dispatcher and the re-dispatch sweep may overlap, an opening and a relocation may
    /// meet): a session lock on our connection.</summary>
    private async Task UnderIncidentLockAsync(Guid incidentId, Func<Task> work, CancellationToken ct)
    {
        var lockKey = LockKey(incidentId);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({lockKey})", ct);
            try
            {
                await work();
            }
            finally
            {
                await UnlockAsync(lockKey);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<CameraPlan> PlanAsync(double latitude, double longitude, VideoReactionSettings settings, CancellationToken ct)
    {
        var here = GeoMath.Point(latitude, longitude);
        var nearby = await db.Cameras.AsNoTracking().Where(c => c.Location.IsWithinDistance(here, SearchMeters)).ToListAsync(ct);
        return CameraGeometry.Plan(nearby, latitude, longitude, settings.MaxPtzCameras);
    }

    /// <summary>The recordings' bookmark: from a little before the incident to some minutes after, labelled with the incident.</summary>
    private static (DateTimeOffset From, DateTimeOffset To, string Label) Bookmark(Guid incidentId, string kind, DateTimeOffset occurredAt,
        VideoReactionSettings settings) =>
        (occurredAt.AddSeconds(-settings.PreSeconds), occurredAt.AddMinutes(settings.PostMinutes), $"SafeCities {kind} incident {incidentId}");

    private async Task ReactAsync(IncidentOpenedEvent incident, VideoReactionSettings settings, CancellationToken ct)
    {
        var plan = await PlanAsync(incident.Latitude, incident.Longitude, settings, ct);
        var (from, to, label) = Bookmark(incident.IncidentId, incident.Kind, incident.OccurredAt, settings);

        var work = plan.Ptz.Where(p => p.Decision == CameraDecision.Turn).Concat(plan.Covering).ToList();
        var outcomes = await commander.RunAsync(work, from, to, label, ct);
        var now = clock.GetUtcNow();

        foreach (var o in outcomes)
            db.IncidentCameras.Add(new IncidentCamera
            {
                IncidentId = incident.IncidentId, CameraId = o.Assessment.Camera.Id, Role = o.Assessment.Camera.Type,
                BearingDegrees = o.Assessment.BearingDegrees, TiltDegrees = o.Assessment.TiltDegrees, DistanceMeters = o.Assessment.DistanceMeters,
                Status = o.Succeeded ? IncidentCameraStatus.Ok : IncidentCameraStatus.Failed, PointedAt = o.Pointed ? now : null,
                BookmarkFrom = o.Bookmarked ? from : null, BookmarkTo = o.Bookmarked ? to : null, BookmarkLabel = o.Bookmarked ? label : null,
                Attempts = o.Attempts, Failure = o.Failure,
            });
        foreach (var a in plan.Ptz.Where(p => p.Decision is CameraDecision.OutOfPanRange or CameraDecision.OverLimit))
            db.IncidentCameras.Add(new IncidentCamera
            {
                IncidentId = incident.IncidentId, CameraId = a.Camera.Id, Role = a.Camera.Type, BearingDegrees = a.BearingDegrees,
                TiltDegrees = a.TiltDegrees, DistanceMeters = a.DistanceMeters,
                Status = a.Decision == CameraDecision.OutOfPanRange ? IncidentCameraStatus.OutOfPanRange : IncidentCameraStatus.OverLimit,
            });

        var turned = outcomes.Where(o => o.Pointed && o.Succeeded).ToList();
        var covering = outcomes.Count(o => o.Assessment.Decision == CameraDecision.Cover && o.Succeeded);
        var bookmarked = outcomes.Count(o => o.Bookmarked);
        var failed = outcomes.Where(o => !o.Succeeded).ToList();
        var (kind, summary) = plan.AnyCanSee
            ? ("CamerasTasked", ReactionText.Tasked(plan, turned.Count, turned.Count > 0 ? turned.Min(o => o.Assessment.DistanceMeters) : null, covering,
                bookmarked, settings))
            : ("NoCameraCoverage", ReactionText.NoCoverage(plan));
        Report(incident.IncidentId, kind, now, summary);
        if (failed.Count > 0)
            // A microsecond later, so the failures follow the summary on the timeline (ordered by time).
            Report(incident.IncidentId, "CameraTaskingFailed", now.AddTicks(10), ReactionText.Failed(failed));
        db.IncidentReactions.Add(new IncidentReaction
        {
            IncidentId = incident.IncidentId, Kind = incident.Kind, Latitude = incident.Latitude, Longitude = incident.Longitude,
            OccurredAt = incident.OccurredAt, ReactedAt = now, PtzTurned = turned.Count, FixedCovering = covering, Bookmarked = bookmarked,
            Failed = failed.Count, Summary = summary,
        });
        var clips = AutomaticClipRows(incident.IncidentId, outcomes, from, to, now);
        await db.SaveChangesAsync(ct);
        // After commit: the rows are there to be found, failed, or swept if this node stops before recording them.
        automaticClips.Enqueue(clips);
        logger.LogInformation("Incident {IncidentId}: {Ptz} PTZ turned, {Fixed} fixed covering, {Bookmarked} bookmarked, {Failed} failed",
            incident.IncidentId, turned.Count, covering, bookmarked, failed.Count);
    }

    /// <summary>
    /// The cameras at the corrected place: those that can see it are turned to it or listed as covering it (bookmarked only if they were not
    /// already), those tasked at the first location that cannot see the corrected one are listed as left there; the reaction's place, counts
    /// and summary become the corrected ones, and the summary goes onto the timeline.
    /// </summary>
    private async Task RetaskAsync(IncidentRelocatedEvent moved, IncidentReaction reaction, VideoReactionSettings settings, Guid reportId,
        CancellationToken ct)
    {
        var plan = await PlanAsync(moved.Latitude, moved.Longitude, settings, ct);
        var (from, to, label) = Bookmark(moved.IncidentId, reaction.Kind, moved.OccurredAt, settings);
        var rows = await db.IncidentCameras.Where(c => c.IncidentId == moved.IncidentId).ToDictionaryAsync(c => c.CameraId, ct);
        var work = plan.Ptz.Where(p => p.Decision == CameraDecision.Turn).Concat(plan.Covering).ToList();
        var outcomes = await commander.RunAsync(work, from, to, label, ct,
            rows.Values.Where(r => r.BookmarkFrom is not null).Select(r => r.CameraId).ToHashSet());
        var now = clock.GetUtcNow();

        IncidentCamera Row(CameraAssessment a, string status)
        {
            if (!rows.TryGetValue(a.Camera.Id, out var row))
            {
                row = new IncidentCamera { IncidentId = moved.IncidentId, CameraId = a.Camera.Id, Role = a.Camera.Type, Status = status };
                db.IncidentCameras.Add(row);
                rows[a.Camera.Id] = row;
            }
            (row.BearingDegrees, row.TiltDegrees, row.DistanceMeters, row.Status) = (a.BearingDegrees, a.TiltDegrees, a.DistanceMeters, status);
            return row;
        }
        var here = new HashSet<Guid>();
        foreach (var o in outcomes)
        {
            var row = Row(o.Assessment, o.Succeeded ? IncidentCameraStatus.Ok : IncidentCameraStatus.Failed);
            row.PointedAt = o.Pointed ? now : row.PointedAt;
            if (o.Bookmarked)
                (row.BookmarkFrom, row.BookmarkTo, row.BookmarkLabel) = (from, to, label);
            (row.Attempts, row.Failure) = (row.Attempts + o.Attempts, o.Failure);
            here.Add(o.Assessment.Camera.Id);
        }
        foreach (var a in plan.Ptz.Where(p => p.Decision is CameraDecision.OutOfPanRange or CameraDecision.OverLimit))
            if (!rows.TryGetValue(a.Camera.Id, out var tasked) || tasked.Status != IncidentCameraStatus.Ok)
            {
                Row(a, a.Decision == CameraDecision.OutOfPanRange ? IncidentCameraStatus.OutOfPanRange : IncidentCameraStatus.OverLimit);
                here.Add(a.Camera.Id);
            }
        foreach (var row in rows.Values.Where(r => !here.Contains(r.CameraId)))
            if (row.Status == IncidentCameraStatus.Ok)
                row.Status = IncidentCameraStatus.FirstLocation;
            else if (row.Status is IncidentCameraStatus.OutOfPanRange or IncidentCameraStatus.OverLimit)
                db.IncidentCameras.Remove(row); // it was only in range of the first location
        // With those left at an earlier location, if it was corrected before.
        var leftThere = rows.Values.Count(r => r.Status == IncidentCameraStatus.FirstLocation);

        var turned = outcomes.Where(o => o.Pointed && o.Succeeded).ToList();
        var covering = outcomes.Count(o => o.Assessment.Decision == CameraDecision.Cover && o.Succeeded);
        var failed = outcomes.Where(o => !o.Succeeded).ToList();
        var (kind, text) = plan.AnyCanSee
            ? ("CamerasRetasked", ReactionText.Tasked(plan, turned.Count, turned.Count > 0 ? turned.Min(o => o.Assessment.DistanceMeters) : null, covering,
                outcomes.Count(o => o.Bookmarked), settings))
            : ("NoCameraCoverage", ReactionText.NoCoverage(plan));
        var summary = ReactionText.Line($"Location corrected: {char.ToLowerInvariant(text[0])}{text[1..]}"
            + (leftThere > 0 ? $"; {Plural.Count(leftThere, "camera")} tasked at the first location left there" : ""));
        Report(moved.IncidentId, kind, now, summary, reportId);
        if (failed.Count > 0)
            Report(moved.IncidentId, "CameraTaskingFailed", now.AddTicks(10), ReactionText.Failed(failed));
        var current = rows.Values.Where(r => db.Entry(r).State != EntityState.Deleted).ToList();
        (reaction.Latitude, reaction.Longitude, reaction.Summary) = (moved.Latitude, moved.Longitude, summary);
        reaction.PtzTurned = current.Count(r => r.Status == IncidentCameraStatus.Ok && r.Role == CameraTypes.Ptz && r.PointedAt is not null);
        reaction.FixedCovering = current.Count(r => r.Status == IncidentCameraStatus.Ok && r.Role != CameraTypes.Ptz);
        reaction.Bookmarked = current.Count(r => r.BookmarkFrom is not null);
        reaction.Failed = current.Count(r => r.Status == IncidentCameraStatus.Failed);
        var clips = AutomaticClipRows(moved.IncidentId, outcomes, from, to, now);
        await db.SaveChangesAsync(ct);
        automaticClips.Enqueue(clips);
        logger.LogInformation("Incident {IncidentId} relocated: {Ptz} PTZ turned, {Fixed} fixed covering, {Left} left at the first location, {Failed} failed",
            moved.IncidentId, turned.Count, covering, leftThere, failed.Count);
    }

    /// <summary>A clip row in <c>recording</c> per bookmarked camera that a recording system serves (ADR 0024), written with the reaction.</summary>
    private List<Guid> AutomaticClipRows(Guid incidentId, IReadOnlyList<CameraCommandOutcome> outcomes, DateTimeOffset from, DateTimeOffset to,
        DateTimeOffset now)
    {
        var ids = new List<Guid>();
        if (!evidence.Value.AutoRecord)
            return ids;
        foreach (var o in outcomes.Where(o => o.Bookmarked))
        {
            var camera = o.Assessment.Camera;
            if (recordingSystems.For(camera) is not { } system)
                continue;
            var id = Guid.CreateVersion7();
            db.EvidenceClips.Add(new EvidenceClip
            {
                Id = id, IncidentId = incidentId, CameraId = camera.Id, CameraName = camera.Name, RecordedFrom = now, BookmarkFrom = from,
                BookmarkTo = to, SavedBy = EvidenceClipSavers.System, SavedAt = now, Status = EvidenceClipStatus.Recording, Source = system.Name,
            });
            ids.Add(id);
        }
        return ids;
    }

    private void Report(Guid incidentId, string kind, DateTimeOffset at, string text, Guid? reportId = null)
    {
        var id = reportId ?? Guid.CreateVersion7();
        db.AddOutboxMessage(new IncidentReactionReportedEvent(id, incidentId, "Video", kind, at, text), id);
    }

    private async Task UnlockAsync(long lockKey)
    {
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({lockKey})", CancellationToken.None);
        }
        catch (Exception ex)
        {
            // A broken connection ends its session, and with it the lock.
            logger.LogWarning(ex, "Could not release the camera reaction lock {LockKey}", lockKey);
        }
    }

    private static long LockKey(Guid incidentId) => AdvisoryLocks.PerIncident(AdvisoryLocks.CameraReactionPerIncident, incidentId);
}

/// <summary>The one-line reports for command staff.</summary>
internal static class ReactionText
{
    private const int NamesListed = 5;

    public static string Tasked(CameraPlan plan, int turned, double? nearestMeters, int covering, int bookmarked, VideoReactionSettings settings)
    {
        var parts = new List<string>();
        if (turned > 0)
            parts.Add($"{Plural.Count(turned, "PTZ camera")} turned (nearest {Meters(nearestMeters!.Value)})");
        if (covering > 0)
            parts.Add($"{Plural.Count(covering, "fixed camera")} {Plural.Word(covering, "covers", "cover")} the scene");
        if (bookmarked > 0)
            parts.Add($"{Plural.Count(bookmarked, "recording")} bookmarked ({settings.PreSeconds} s before to {settings.PostMinutes} min after)");
        if (parts.Count == 0)
            parts.Add("No camera could be tasked");
        var outOfPan = plan.Ptz.Where(p => p.Decision == CameraDecision.OutOfPanRange).Select(p => p.Camera.Name).ToList();
        if (outOfPan.Count > 0)
            parts.Add($"{Names(outOfPan)} cannot pan toward it");
        var overLimit = plan.Ptz.Count(p => p.Decision == CameraDecision.OverLimit);
        if (overLimit > 0)
            parts.Add($"{Plural.Count(overLimit, "more PTZ camera")} in range left as {Plural.Word(overLimit, "it was", "they were")} (limit {settings.MaxPtzCameras})");
        return Line(string.Join(", ", parts));
    }

    public static string NoCoverage(CameraPlan plan)
    {
        var why = new List<string>();
        var outOfPan = plan.Ptz.Where(p => p.Decision == CameraDecision.OutOfPanRange).Select(p => p.Camera.Name).ToList();
        if (outOfPan.Count > 0)
            why.Add($"{Names(outOfPan)} cannot pan toward it");
        if (plan.FixedFacingAway > 0)
            why.Add($"{Plural.Count(plan.FixedFacingAway, "fixed camera")} in range {Plural.Word(plan.FixedFacingAway, "faces", "face")} elsewhere");
        if (why.Count == 0)
            why.Add(plan.NearestCameraMeters is { } nearest
                ? $"none within range; nearest camera {Meters(nearest)} away"
                : $"none within {CameraGeometry.MaxRangeMeters / 1000:0} km");
        return Line("No camera can see the incident: " + string.Join(", ", why));
    }

    public static string Failed(IReadOnlyList<CameraCommandOutcome> failed) =>
        Line($"{Plural.Count(failed.Count, "camera")} failed after every retry: " + Names(failed.Select(o => $"{o.Assessment.Camera.Name} ({o.Failure})").ToList()));

    /// <summary>A report fits its column (and the timeline's 1000 characters).</summary>
    public static string Line(string text) => TextLimit.Cut(text);


    private static string Meters(double meters) => meters.ToString("0", CultureInfo.InvariantCulture) + " m";

    private static string Names(IReadOnlyList<string> names) =>
        names.Count <= NamesListed ? string.Join(", ", names) : string.Join(", ", names.Take(NamesListed)) + $" and {names.Count - NamesListed} more";
}
