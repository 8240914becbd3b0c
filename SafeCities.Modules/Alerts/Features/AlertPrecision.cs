using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Input;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Persistence;
using SafeCities.Modules.Shared.Statistics;
using SafeCities.Modules.Shared.Time;

namespace SafeCities.Modules.Alerts.Features;

// ---- corrections of classification and location (ADR 0044) -----------------------------------------------------------------

internal sealed class CorrectIncidentCommandValidator : AbstractValidator<CorrectIncidentCommand>
{
    public CorrectIncidentCommandValidator()
    {
        RuleFor(c => c.IncidentId).NotEmpty();
        RuleFor(c => c.By).NotEmpty().MaximumLength(256);
        RuleFor(c => c.Kind).Must(k => k is null || IncidentKinds.All.Contains(k))
            .WithMessage($"'Kind' must be one of: {string.Join(", ", IncidentKinds.All)}.");
        RuleFor(c => c.Latitude).InclusiveBetween(-90, 90);
        RuleFor(c => c.Longitude).InclusiveBetween(-180, 180);
        RuleFor(c => c).Must(c => c.Latitude is null == c.Longitude is null).WithName("Location")
            .WithMessage("A location needs both 'Latitude' and 'Longitude'.");
        RuleFor(c => c).Must(c => c.Kind is not null || c.Latitude is not null).WithName("Change")
            .WithMessage("Give a new 'Kind' or a new location ('Latitude' and 'Longitude').");
        RuleFor(c => c.Reason).NotEmpty().WithMessage("Say why in 'Reason'.").MaximumLength(500)
            .Must(t => t is null || InputRules.TextRefusal(t) is null).WithMessage((_, t) => $"The reason {InputRules.TextRefusal(t)}");
    }
}

/// <summary>Changes the kind and/or location, keeps each change (before → after), puts it on the timeline, audits it and pushes it live.</summary>
internal sealed class CorrectIncidentCommandHandler(AlertsDbContext db, TimeProvider clock, IncidentBroadcaster broadcaster, ISender sender)
    : ICommandHandler<CorrectIncidentCommand, IncidentDto>
{
    public async ValueTask<IncidentDto> Handle(CorrectIncidentCommand c, CancellationToken ct)
    {
        var district = c is { Latitude: { } lat, Longitude: { } lon }
            ? (await sender.Send(new LocateDistrictsQuery([new DistrictPointDto(lat, lon)]), ct))[0] : null;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var incident = await db.Incidents.FromSql($"SELECT * FROM alerts.incidents WHERE id = {c.IncidentId} FOR UPDATE").FirstOrDefaultAsync(ct)
                       ?? throw new DomainRuleException("No such incident.", 404);
        var afterClose = incident.Status == IncidentStatus.Closed
                         || await db.StatusChanges.AnyAsync(s => s.IncidentId == incident.Id && s.ToStatus == IncidentStatus.Closed, ct);
        var (previousLatitude, previousLongitude) = (incident.Latitude, incident.Longitude);
        var changes = incident.Correct(c.Kind, c.Latitude, c.Longitude);
        if (changes.Any(x => x.Field == IncidentCorrection.LocationField))
            incident.District = district;
        var now = clock.GetUtcNow();
        var reason = c.Reason!.Trim();
        var rows = changes.Select(x => new IncidentCorrection
        {
            Id = Guid.CreateVersion7(), IncidentId = incident.Id, At = now, By = c.By, Field = x.Field, Before = x.Before, After = x.After, Reason = reason,
            AfterClose = afterClose,
        }).ToList();
        db.Corrections.AddRange(rows);
        var entry = new TimelineEntry
        {
            Id = Guid.CreateVersion7(), IncidentId = incident.Id, At = now, Module = "Alerts", Kind = "Corrected",
            Text = $"Corrected by {c.By}: " + string.Join("; ", changes.Select(x =>
                $"{x.Field} {IncidentCorrectionDto.Text(x.Field, x.Before)} → {IncidentCorrectionDto.Text(x.Field, x.After)}")) + $" — {reason}",
        };
        db.Timeline.Add(entry);
        // Cameras, lights and readers follow an open incident to where it is and to what it is (ADR 0067): a module whose kinds the corrected
        // kind is one of reacts to the opening now (each reaction is idempotent per incident, so one that reacted does nothing again); one
        // that reacted moves to the corrected place. A closed incident's correction is for the record.
        if (incident.Status != IncidentStatus.Closed)
        {
            if (rows.Find(r => r.Field == IncidentCorrection.KindField) is { } reclassified)
            {
                db.AddOutboxMessage(incident.Opened(uncertaintyMeters: null), reclassified.Id);
                // …and a module that reacted to the first kind but not to this one stands down (ADR 0068).
                var standDown = StandDowns.Reclassifying(incident, reclassified);
                db.AddOutboxMessage(standDown, standDown.StandDownId);
            }
            if (rows.Find(r => r.Field == IncidentCorrection.LocationField) is { } moved)
                db.AddOutboxMessage(new IncidentRelocatedEvent(moved.Id, incident.Id, incident.Kind, incident.Latitude, incident.Longitude,
                    incident.OpenedAt, previousLatitude, previousLongitude), moved.Id);
        }
        await db.SaveChangesAsync(ct);
        await db.AuditAsync(c.By, "Alerts", "incident-correct", null, new { incidentId = incident.Id, changes = rows.Select(r => new { r.Field, r.Before, r.After }), reason, afterClose },
            now, ct);
        await tx.CommitAsync(ct);
        var dto = incident.ToDto();
        await broadcaster.IncidentChangedAsync(dto, entry.ToDto());
        return dto;
    }
}

// ---- precision per source and month (ADR 0044) --------------------------------------------------------------------------------

internal sealed class GetAlertPrecisionQueryValidator : MonthlyPeriodValidator<GetAlertPrecisionQuery>;

internal sealed class GetAlertPrecisionQueryHandler(AlertsDbContext db) : IQueryHandler<GetAlertPrecisionQuery, AlertPrecisionDto>
{
    public async ValueTask<AlertPrecisionDto> Handle(GetAlertPrecisionQuery q, CancellationToken ct)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(q.TimeZone);
        var (from, to) = (q.From.ToUniversalTime(), q.To.ToUniversalTime());
        var incidents = await db.Incidents.AsNoTracking().Where(i => i.OpenedAt >= from && i.OpenedAt < to)
            .Select(i => new { i.Id, i.Kind, i.Source, i.OpenedAt, i.Status, i.Outcome }).ToListAsync(ct);
        var ids = incidents.Select(i => i.Id).ToList();
        var corrections = await db.Corrections.AsNoTracking().Where(c => c.AfterClose && ids.Contains(c.IncidentId)).OrderByDescending(c => c.At)
            .ToListAsync(ct);
        var corrected = corrections.Select(c => c.IncidentId).ToHashSet();
        var rows = incidents
            .GroupBy(i => (Month: TimeZoneInfo.ConvertTime(i.OpenedAt, zone).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), i.Kind, i.Source))
            .Select(g =>
            {
                var closed = g.Where(i => i.Status == IncidentStatus.Closed && i.Outcome is not null).ToList();
                var attended = closed.Count(i => !AlertEvidence.NotAttendedOutcomes.Contains(i.Outcome!));
                var evidence = closed.Count(i => AlertEvidence.EvidenceOutcomes.Contains(i.Outcome!));
                var ci = WilsonInterval.Of(evidence, attended);
                return new AlertPrecisionRowDto(g.Key.Month, g.Key.Kind, g.Key.Source, g.Count(), closed.Count, attended, evidence,
                    closed.GroupBy(i => i.Outcome!).OrderBy(o => o.Key, StringComparer.Ordinal).ToDictionary(o => o.Key, o => o.Count()),
                    attended == 0 ? null : (double)evidence / attended, ci?.Low, ci?.High, g.Count(i => corrected.Contains(i.Id)));
            })
            .OrderByDescending(r => r.Month).ThenBy(r => r.Kind, StringComparer.Ordinal).ThenBy(r => r.Source, StringComparer.Ordinal).ToList();
        return new AlertPrecisionDto(q.From, q.To, q.TimeZone, rows, corrections.Select(c => c.ToDto()).ToList());
    }
}
