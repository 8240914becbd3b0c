using SafeCities.Modules.Shared.Text;
using Microsoft.AspNetCore.SignalR;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Alerts.Realtime;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Alerts.Features;

/// <summary>
/// A live hotlist hit opens an incident of kind <c>hotlist-hit</c> at the reader — one per list entry and vehicle while it is not closed:
/// further reads of the same vehicle go onto that incident's timeline and move its marker to the newest reader, instead of opening an
/// incident per read. The officer notice is pushed to the officers near the reader (a fresh shared position within
/// <see cref="HitAlertOptions.NearbyOfficerRadiusMeters"/>, each told how far they are) on every read, and to administrators and
/// commanders (<c>notices:all</c>) when the incident opens; who was told goes on the incident's timeline. A hit found in past reads when the
/// plate was listed (look-back) is history, not an incident: Plates lists it as a past-read hit (<c>/api/v1/plates/hits?retroactive=true</c>,
/// the "Past reads" view of the hits page) and nobody is sent after it. The hit itself is stored by Plates (evidence).
/// </summary>
internal sealed class AlertOnHotlistHitHandler(AlertsDbContext db, IncidentBroadcaster broadcaster, OutboxDelivery outbox, TimeProvider clock,
    OfficerLocator officers, IHubContext<IncidentsHub, IIncidentsClient> hub, ISender sender, ILogger<AlertOnHotlistHitHandler> logger) : INotificationHandler<HotlistHitEvent>
{
    public async ValueTask Handle(HotlistHitEvent e, CancellationToken cancellationToken)
    {
        if (e.Retroactive)
            return;
        if (await RecordAsync(e, cancellationToken) is not var (incidentId, opened))
            return; // already handled: the notice went out with the first delivery
        var near = await officers.NearAsync(e.Latitude, e.Longitude, cancellationToken);
        if (!opened && near.Count == 0)
            return; // a further read nobody nearby is to be told of: its read entry on the timeline says it all
        // Where, in words (the city's address points); coordinates only when the city has no address near the reader.
        var place = await sender.Send(new ReverseGeocodeQuery(e.Latitude, e.Longitude), cancellationToken) ?? $"{e.Latitude:0.00000}, {e.Longitude:0.00000}";
        var text = $"{e.ReadPlate} ({e.Region}, {Match(e)}) at {e.ReaderName}, {place}"
            + $" — {e.HotlistName}: {e.Reason ?? $"restricted list — contact {e.Owner}"}. {Comparison(e, clock.GetUtcNow())}";
        var badge = Badge(e);
        var link = $"/respond/{incidentId}";
        var title = Title(e);
        try
        {
            // Commanders already see the incident (and its moving marker) on the board: one notice when it opens, not one per read.
            if (opened)
                await hub.Clients.Group(IncidentsHub.AllNoticesGroup).OfficerNotified(new OfficerNotificationDto(incidentId, "HotlistHit", title, text, null, null, null, e.CapturedAt, link, e.ImageUrl, badge));
            foreach (var officer in near)
                await hub.Clients.Group(IncidentsHub.UserGroup(officer.UserName)).OfficerNotified(new OfficerNotificationDto(incidentId, "HotlistHit", title,
                    $"{text} You are {Distance(officer.DistanceMeters)} from the reader.", null, null, null, e.CapturedAt, link, e.ImageUrl, badge));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not push hotlist hit {HitId} to live boards", e.HitId);
        }
        var delivered = near.Count == 0 ? $"No officer shared a position within {Distance(officers.RadiusMeters)} of the reader: notice sent to commanders only."
            : $"Pushed to {Plural.Count(near.Count, "officer")} within {Distance(officers.RadiusMeters)}: "
              + string.Join(", ", near.Take(10).Select(o => $"{o.UserName} ({Distance(o.DistanceMeters)})")) + (near.Count > 10 ? ", …" : "") + ".";
        await AppendAsync(incidentId, "HitNoticeDelivered", delivered, cancellationToken);
    }

    /// <summary>What further reads of a listed vehicle join while its incident is not closed.</summary>
    internal static string JoinKey(HotlistHitEvent e) => $"hotlist:{e.HotlistId:N}:{e.EntryPlate}:{e.ReadPlate}";

    /// <summary>Every hit starts unconfirmed (ADR 0043); anything but an exact match must be checked against the picture.</summary>
    internal static string Badge(HotlistHitEvent e) => e.VerifyVisually ? "UNCONFIRMED — verify plate visually" : "UNCONFIRMED";

    /// <summary>The read's make and colour against the entry's description, and how old the entry is.</summary>
    internal static string Comparison(HotlistHitEvent e, DateTimeOffset now)
    {
        var read = string.Join(" ", new[] { e.ReadColor, e.ReadMake }.Where(x => !string.IsNullOrWhiteSpace(x)));
        var listed = e.Visibility == "restricted" ? "restricted" : string.IsNullOrWhiteSpace(e.EntryDescription) ? "no description" : e.EntryDescription;
        var age = e.EntryAddedAt is { } added ? $" Entry listed {Age(now - added)} ago." : "";
        return $"Read: {(read.Length == 0 ? "make/colour unknown" : read)}; listed: {listed}.{age}";
    }

    internal static string Age(TimeSpan t) => t.TotalDays >= 2 ? $"{(int)t.TotalDays} days" : t.TotalHours >= 2 ? $"{(int)t.TotalHours} hours"
        : $"{Math.Max(0, (int)t.TotalMinutes)} min";

    private static string Title(HotlistHitEvent e) => $"Hotlist hit ({e.AlertLevel}): {e.ReadPlate}";

    private static string Match(HotlistHitEvent e) => e.MatchKind == "exact" ? "exact match" : $"{e.MatchKind} match of {e.EntryPlate}";

    private static string Distance(double meters) => meters < 1000 ? $"{meters:0} m" : $"{meters / 1000:0.0} km";

    private async Task AppendAsync(Guid incidentId, string kind, string text, CancellationToken ct)
    {
        var entry = new TimelineEntry { Id = Guid.CreateVersion7(), IncidentId = incidentId, At = clock.GetUtcNow(), Module = "Alerts", Kind = kind, Text = text };
        db.Timeline.Add(entry);
        await db.SaveChangesAsync(ct);
        await broadcaster.TimelineAppendedAsync(entry.ToDto());
    }

    /// <summary>
    /// Opens the vehicle's incident (its id is the first hit's) or joins its open one: the read goes on the timeline (entry id = hit id,
    /// which makes a re-delivered hit a no-op) and the marker moves to the reader. Serialised with the other incident openings.
    /// </summary>
    /// <returns>The incident and whether this hit opened it; null when the hit was recorded before (the event was delivered again).</returns>
    private async Task<(Guid IncidentId, bool Opened)?> RecordAsync(HotlistHitEvent e, CancellationToken ct)
    {
        // Looked up before the lock that serialises incident openings (another module's query does not hold it up).
        var district = (await sender.Send(new LocateDistrictsQuery([new DistrictPointDto(e.Latitude, e.Longitude)]), ct))[0];
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLocks.IncidentOpening})", ct);
        // Checked once, under the lock (a delivery again is rare: after a crash, or the sweep meeting the live dispatch).
        if (await AlreadyRecordedAsync(e.HitId, ct))
            return null;
        var key = JoinKey(e);
        var incident = await db.Incidents.Where(i => i.JoinKey == key && i.Status != IncidentStatus.Closed)
            .OrderByDescending(i => i.OpenedAt).FirstOrDefaultAsync(ct);
        OutboxMessage? reactions = null;
        var opened = incident is null;
        if (incident is null)
        {
            incident = new Incident
            {
                Id = e.HitId, Kind = IncidentKinds.HotlistHit, Latitude = e.Latitude, Longitude = e.Longitude, Location = GeoMath.Point(e.Latitude, e.Longitude),
                Title = Title(e), OpenedAt = e.CapturedAt, LastActivityAt = e.CapturedAt, Source = Source(e), Detections = 1, JoinKey = key,
                District = district,
            };
            db.Incidents.Add(incident);
            reactions = db.AddOutboxMessage(incident.Opened(uncertaintyMeters: null), incident.Id, deliveredByCaller: true);
        }
        else
        {
            if (incident.SeenAgain(e.Latitude, e.Longitude, e.CapturedAt))
                incident.District = district; // the marker moved to this reader
        }
        var entry = new TimelineEntry
        {
            Id = e.HitId, IncidentId = incident.Id, At = e.CapturedAt, Module = "Plates", Kind = "HotlistHit", // the page shows At in city time
            Text = (opened ? "" : $"Read again ({incident.Detections}): ") + $"{e.ReadPlate} ({e.Region}, {Match(e)}) read by {e.ReaderName} — "
                + $"{e.HotlistName}: " + (e.Reason ?? $"restricted list, contact {e.Owner}"),
        };
        db.Timeline.Add(entry);
        try
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return null; // the same hit delivered twice at once
        }
        await broadcaster.IncidentChangedAsync(incident.ToDto(), entry.ToDto());
        if (reactions is not null)
            outbox.Post(typeof(AlertsDbContext), reactions);
        return (incident.Id, opened);
    }

    /// <remarks>An incident opened before hits were keyed by their timeline entry has the hit's id itself.</remarks>
    private Task<bool> AlreadyRecordedAsync(Guid hitId, CancellationToken ct) =>
        db.Database.SqlQuery<bool>($"""
            SELECT EXISTS (SELECT 1 FROM alerts.timeline WHERE id = {hitId}) OR EXISTS (SELECT 1 FROM alerts.incidents WHERE id = {hitId}) AS "Value"
            """).SingleAsync(ct);

    private static string Source(HotlistHitEvent e) => e.ReaderName.Length > 80 ? e.ReaderName[..80] : e.ReaderName;
}
