using System.Text;
using NetTopologySuite.Geometries;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Alerts.Features;
using SafeCities.Modules.Alerts.PublicAlerts;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Alerts.InboundCap;

/// <summary>
/// Stores a received CAP message once per sender/identifier/sent (a repeat answers the first one's id, writing nothing) and applies an
/// Update or Cancel to the messages it references that we hold — only those pushed by the same agency (an administrator's push may
/// reference any): a partner cannot withdraw another authority's alert by naming it. All in one SaveChanges: refused means nothing written.
/// </summary>
internal sealed class ReceiveInboundCapCommandHandler(AlertsDbContext db, TimeProvider clock, IncidentBroadcaster broadcaster)
    : ICommandHandler<ReceiveInboundCapCommand, InboundCapReceivedDto>
{
    public async ValueTask<InboundCapReceivedDto> Handle(ReceiveInboundCapCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (cap, refusal) = CapParser.Parse(command.Body, now);
        if (cap is null)
            throw new DomainRuleException(refusal!, 400);
        if (await ExistingAsync(cap, cancellationToken) is { } existing)
            return existing;

        var alert = new InboundCapAlert
        {
            Sender = cap.Sender, Identifier = cap.Identifier, Sent = cap.Sent, CapVersion = cap.Version, Status = cap.Status, MsgType = cap.MsgType,
            Scope = cap.Scope, Event = cap.Event, Severity = cap.Severity, Urgency = cap.Urgency, Certainty = cap.Certainty, Headline = cap.Headline,
            SenderName = cap.SenderName, Expires = cap.Expires, References = cap.References, Xml = cap.Xml, ReceivedAt = now, ReceivedBy = command.By,
            AgencyId = command.AgencyId,
        };
        alert.Areas.AddRange(cap.Areas.Select((a, i) => new InboundCapArea { AlertId = alert.Id, Position = i, Description = a.Description, Area = a.Area, Geocodes = a.Geocodes }));
        db.InboundCapAlerts.Add(alert);

        var applied = 0;
        if (cap.MsgType is CapMessageTypes.Update or CapMessageTypes.Cancel)
        {
            var senders = cap.Referenced.Select(r => r.Sender).Distinct().ToList();
            var identifiers = cap.Referenced.Select(r => r.Identifier).Distinct().ToList();
            var candidates = await db.InboundCapAlerts.Where(a => senders.Contains(a.Sender) && identifiers.Contains(a.Identifier)
                                                                  && (command.AgencyId == null || a.AgencyId == command.AgencyId))
                .ToListAsync(cancellationToken);
            foreach (var earlier in candidates.Where(a => cap.Referenced.Contains(new CapReference(a.Sender, a.Identifier)) && a.Sent <= cap.Sent))
            {
                if (cap.MsgType == CapMessageTypes.Cancel)
                    earlier.CancelledAt ??= now;
                else if (earlier.SupersededAt is null)
                {
                    earlier.SupersededAt = now;
                    earlier.SupersededById = alert.Id;
                }
                applied++;
            }
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // The same message pushed twice at once: the other request stored it.
            db.ChangeTracker.Clear();
            return await ExistingAsync(cap, cancellationToken) ?? throw new InvalidOperationException("The stored message vanished.", e);
        }
        var attached = await AttachToOpenIncidentsAsync(alert, now, cancellationToken);
        return new InboundCapReceivedDto(alert.Id, alert.Identifier, alert.Areas.Count, true, applied, attached);
    }

    /// <summary>
    /// An actual Alert or Update in force goes on the timeline of every open incident inside one of its areas (a point area: at that point),
    /// so the commander of a shooting inside a tornado warning sees the warning. Answers how many incidents it reached.
    /// </summary>
    private async Task<int> AttachToOpenIncidentsAsync(InboundCapAlert alert, DateTimeOffset now, CancellationToken ct)
    {
        var inForce = alert.Expires is { } expires ? expires > now : alert.Sent > now - InboundCapLimits.LifetimeWithoutExpiry;
        if (alert.Status != "Actual" || alert.MsgType is not (CapMessageTypes.Alert or CapMessageTypes.Update) || !inForce || alert.Areas.All(a => a.Area is null))
            return 0;
        var incidents = await db.Incidents.Where(i => i.Status == IncidentStatus.Open
                                                       && db.Set<InboundCapArea>().Any(a => a.AlertId == alert.Id && a.Area != null && a.Area.IsWithinDistance(i.Location, 0)))
            .Select(i => i.Id).ToListAsync(ct);
        var text = $"Alert from another authority in force here: {alert.Event ?? "alert"}{(alert.Severity is { } s ? $" ({s})" : "")} from "
                   + $"{alert.SenderName ?? alert.Sender}{(alert.Headline is { } h ? $" — {h}" : "")}";
        var entries = incidents.Select(id => new TimelineEntry { Id = Guid.CreateVersion7(), IncidentId = id, At = now, Module = "Alerts", Kind = TimelineKind, Text = text })
            .ToList();
        db.Timeline.AddRange(entries);
        await db.SaveChangesAsync(ct);
        foreach (var entry in entries)
            await broadcaster.TimelineAppendedAsync(entry.ToDto());
        return entries.Count;
    }

    public const string TimelineKind = "OtherAuthorityAlert";

    private async Task<InboundCapReceivedDto?> ExistingAsync(ParsedCap cap, CancellationToken ct) =>
        await db.InboundCapAlerts.AsNoTracking().Where(a => a.Sender == cap.Sender && a.Identifier == cap.Identifier && a.Sent == cap.Sent)
            .Select(a => new InboundCapReceivedDto(a.Id, a.Identifier, a.Areas.Count, false, 0, 0)).FirstOrDefaultAsync(ct);
}

internal sealed class ListCurrentInboundCapAlertsQueryHandler(AlertsDbContext db, TimeProvider clock)
    : IQueryHandler<ListCurrentInboundCapAlertsQuery, IReadOnlyList<InboundCapAlertViewDto>>
{
    public async ValueTask<IReadOnlyList<InboundCapAlertViewDto>> Handle(ListCurrentInboundCapAlertsQuery query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var sentSince = now - InboundCapLimits.LifetimeWithoutExpiry;
        var rows = await db.InboundCapAlerts.AsNoTracking().Include(a => a.Areas)
            .Where(a => (a.MsgType == CapMessageTypes.Alert || a.MsgType == CapMessageTypes.Update) && a.SupersededAt == null && a.CancelledAt == null
                        && (a.Expires != null ? a.Expires > now : a.Sent > sentSince))
            .OrderByDescending(a => a.Sent).Take(Math.Clamp(query.Limit, 1, 500)).AsSplitQuery().ToListAsync(cancellationToken);
        return rows.Select(a => new InboundCapAlertViewDto(a.Id, a.Sender, a.SenderName, a.Identifier, a.Status, a.MsgType, a.Sent, a.Expires, a.Event,
            a.Severity, a.Urgency, a.Certainty, a.Headline, a.ReceivedAt,
            a.Areas.OrderBy(x => x.Position).Select(x => new InboundCapAreaViewDto(x.Description, Polygons(x.Area), Points(x.Area), x.Geocodes)).ToList())).ToList();
    }

    private static List<IReadOnlyList<GeoPointDto>> Polygons(Geometry? area) =>
        [.. Parts(area).OfType<Polygon>().Select(p => (IReadOnlyList<GeoPointDto>)[.. p.Shell.Coordinates.Select(c => new GeoPointDto(c.Y, c.X))])];

    private static List<GeoPointDto> Points(Geometry? area) => [.. Parts(area).OfType<Point>().Select(p => new GeoPointDto(p.Y, p.X))];

    private static IEnumerable<Geometry> Parts(Geometry? area) =>
        area is null ? [] : Enumerable.Range(0, area.NumGeometries).Select(area.GetGeometryN);
}
