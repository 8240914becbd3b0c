using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;

namespace SafeCities.Modules.Alerts.PublicAlerts;

internal sealed class ListPublicAlertsQueryHandler(AlertsDbContext db, TimeProvider clock) : IQueryHandler<ListPublicAlertsQuery, IReadOnlyList<PublicAlertDto>>
{
    public async ValueTask<IReadOnlyList<PublicAlertDto>> Handle(ListPublicAlertsQuery query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows = await db.PublicAlertMessages.AsNoTracking().OrderByDescending(m => m.CreatedAt).Take(Math.Clamp(query.Limit, 1, 500))
            .ToListAsync(cancellationToken);
        return rows.Select(m => m.ToDto(now)).ToList();
    }
}

internal sealed class GetPublicAlertQueryHandler(AlertsDbContext db, TimeProvider clock) : IQueryHandler<GetPublicAlertQuery, PublicAlertDto?>
{
    public async ValueTask<PublicAlertDto?> Handle(GetPublicAlertQuery query, CancellationToken cancellationToken) =>
        (await db.PublicAlertMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == query.Id, cancellationToken))?.ToDto(clock.GetUtcNow());
}

internal sealed class ListIncidentPublicAlertsInEffectQueryHandler(AlertsDbContext db, TimeProvider clock)
    : IQueryHandler<ListIncidentPublicAlertsInEffectQuery, IReadOnlyList<PublicAlertDto>>
{
    public async ValueTask<IReadOnlyList<PublicAlertDto>> Handle(ListIncidentPublicAlertsInEffectQuery query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return (await PublicFeed.Current(db, now).Where(m => m.IncidentId == query.IncidentId).OrderByDescending(m => m.Sent).ToListAsync(cancellationToken))
            .Select(m => m.ToDto(now)).ToList();
    }
}

internal sealed class ListCurrentPublicAlertsQueryHandler(AlertsDbContext db, TimeProvider clock)
    : IQueryHandler<ListCurrentPublicAlertsQuery, IReadOnlyList<PublicAlertViewDto>>
{
    public async ValueTask<IReadOnlyList<PublicAlertViewDto>> Handle(ListCurrentPublicAlertsQuery query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows = await PublicFeed.Current(db, now).ToListAsync(cancellationToken);
        return rows.OrderBy(m => CapVocabulary.Severities.ToList().IndexOf(m.Severity)).ThenByDescending(m => m.Sent)
            .Select(m => new PublicAlertViewDto(m.Identifier!, m.MsgType, m.Sent!.Value, m.Onset, m.Expires, m.Event, m.Category, m.Severity, m.Urgency,
                m.Certainty, m.ResponseType, m.AreaDescription, m.CircleLatitude, m.CircleLongitude, m.CircleRadiusMeters, m.PolygonPoints(),
                m.Texts().Select(t => t with { Language = t.Language[..2] }).ToList()))
            .ToList();
    }
}

internal sealed class GetCapMessageQueryHandler(AlertsDbContext db) : IQueryHandler<GetCapMessageQuery, CapDocumentDto?>
{
    public async ValueTask<CapDocumentDto?> Handle(GetCapMessageQuery query, CancellationToken cancellationToken) =>
        await db.PublicAlertMessages.AsNoTracking().Where(m => m.Identifier == query.Identifier && m.State == PublicAlertStates.Issued)
            .Select(m => new CapDocumentDto(m.Xml!, m.ETag!, m.Sent!.Value)).FirstOrDefaultAsync(cancellationToken);
}

internal sealed class GetCapFeedQueryHandler(AlertsDbContext db, TimeProvider clock, IOptions<PublicAlertsOptions> options)
    : IQueryHandler<GetCapFeedQuery, CapDocumentDto>
{
    public async ValueTask<CapDocumentDto> Handle(GetCapFeedQuery query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var since = now.AddHours(-PublicFeed.CancelsShownHours);
        var messages = await db.PublicAlertMessages.AsNoTracking()
            .Where(m => m.State == PublicAlertStates.Issued && m.SupersededAt == null && (m.Expires == null || m.Expires > now || (m.MsgType == CapMessageTypes.Cancel && m.Sent > since)))
            .OrderByDescending(m => m.Sent).Take(PublicFeed.MaxEntries).ToListAsync(cancellationToken);
        // An empty feed's <updated> must not change with the clock (its ETag would): the epoch says "never".
        var xml = CapFeed.Build(messages, query.BaseUrl, options.Value, DateTimeOffset.UnixEpoch);
        return new CapDocumentDto(xml, CapMessage.ETagOf(xml), messages.Count == 0 ? DateTimeOffset.UnixEpoch : messages.Max(m => m.Sent!.Value));
    }
}

internal static class PublicFeed
{
    /// <summary>A Cancel stays in the feed this long, so that receivers polling it learn of it.</summary>
    public const int CancelsShownHours = 24;
    public const int MaxEntries = 200;

    public static IQueryable<PublicAlertMessage> Current(AlertsDbContext db, DateTimeOffset now) =>
        db.PublicAlertMessages.AsNoTracking().Where(m => m.State == PublicAlertStates.Issued && m.SupersededAt == null
                                                         && m.MsgType != CapMessageTypes.Cancel && (m.Expires == null || m.Expires > now));
}
