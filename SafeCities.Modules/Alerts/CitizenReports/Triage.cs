using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Alerts.Features;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Outbox;

namespace SafeCities.Modules.Alerts.CitizenReports;

internal sealed class ListTriageQueryHandler(AlertsDbContext db) : IQueryHandler<ListTriageQuery, IReadOnlyList<TriageItemDto>>
{
    /// <summary>The open incidents offered to attach a report to lie within this distance of it (an incident across the state is no choice).</summary>
    private const double NearbyMeters = 25_000;

    public async ValueTask<IReadOnlyList<TriageItemDto>> Handle(ListTriageQuery query, CancellationToken cancellationToken)
    {
        var reports = await WitnessStatements.ToDtosAsync(db, db.CitizenReports.Where(r => r.Status == CitizenReportStatus.Triage)
            .OrderByDescending(r => r.ReceivedAt).ThenByDescending(r => r.Id).Take(Math.Clamp(query.Limit, 1, 500)), cancellationToken);
        var open = await db.Incidents.AsNoTracking().Where(i => i.Status != IncidentStatus.Closed)
            .OrderByDescending(i => i.LastActivityAt).Take(500).Select(i => new { i.Id, i.Title, i.Status, i.Latitude, i.Longitude }).ToListAsync(cancellationToken);
        return reports.Select(r => new TriageItemDto(r, open
                .Select(i => new TriageIncidentChoiceDto(i.Id, i.Title, i.Status, GeoMath.DistanceMeters(r.Latitude, r.Longitude, i.Latitude, i.Longitude)))
                .Where(i => i.DistanceMeters <= NearbyMeters).OrderBy(i => i.DistanceMeters).Take(8).ToList()))
            .ToList();
    }
}

internal sealed class AttachCitizenReportCommandValidator : AbstractValidator<AttachCitizenReportCommand>
{
    public AttachCitizenReportCommandValidator()
    {
        RuleFor(c => c.ReportId).NotEmpty();
        RuleFor(c => c.IncidentId).NotEmpty().WithMessage("Choose the incident.");
        RuleFor(c => c.By).NotEmpty().MaximumLength(256);
    }
}

/// <summary>Staff attach a report, and the rest of its cluster still waiting, to an incident: witness statements on its timeline, audited.</summary>
internal sealed class AttachCitizenReportCommandHandler(AlertsDbContext db, TimeProvider clock, IncidentBroadcaster broadcaster)
    : ICommandHandler<AttachCitizenReportCommand, int>
{
    public async ValueTask<int> Handle(AttachCitizenReportCommand command, CancellationToken cancellationToken)
    {
        var incident = await db.Incidents.FirstOrDefaultAsync(i => i.Id == command.IncidentId, cancellationToken)
                       ?? throw new DomainRuleException("No such incident.", 404);
        if (incident.Status == IncidentStatus.Closed)
            throw new DomainRuleException("The incident is closed; reopen it first or open a new one.");
        var entries = await CitizenReportFiling.AttachClusterAsync(db, clock, command.ReportId, incident, command.By, "citizen-report-attach",
            cancellationToken);
        foreach (var entry in entries)
            await broadcaster.TimelineAppendedAsync(entry.ToDto());
        return entries.Count;
    }
}

internal sealed class DismissCitizenReportCommandValidator : AbstractValidator<DismissCitizenReportCommand>
{
    public DismissCitizenReportCommandValidator()
    {
        RuleFor(c => c.ReportId).NotEmpty();
        RuleFor(c => c.By).NotEmpty().MaximumLength(256);
        RuleFor(c => c.Reason).Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage("Give the reason for dismissing it.").MaximumLength(500);
    }
}

internal sealed class DismissCitizenReportCommandHandler(AlertsDbContext db, TimeProvider clock) : ICommandHandler<DismissCitizenReportCommand>
{
    public async ValueTask<Unit> Handle(DismissCitizenReportCommand command, CancellationToken cancellationToken)
    {
        var report = await db.CitizenReports.FirstOrDefaultAsync(r => r.Id == command.ReportId, cancellationToken)
                     ?? throw new DomainRuleException("No such report.", 404);
        var now = clock.GetUtcNow();
        report.Dismiss(command.By, command.Reason!.Trim(), now);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await db.AuditAsync(command.By, "Alerts", "citizen-report-dismiss", null, new { reportId = report.Id, reason = report.DismissReason }, now,
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Unit.Value;
    }
}

internal sealed class OpenIncidentFromCitizenReportCommandValidator : AbstractValidator<OpenIncidentFromCitizenReportCommand>
{
    public OpenIncidentFromCitizenReportCommandValidator()
    {
        RuleFor(c => c.ReportId).NotEmpty();
        RuleFor(c => c.By).NotEmpty().MaximumLength(256);
    }
}

/// <summary>
/// Staff open an incident at a report in triage (kind <see cref="IncidentKinds.CitizenReport"/>, the modules react to it as to any opened
/// incident); the report and its waiting cluster become its witness statements.
/// </summary>
internal sealed class OpenIncidentFromCitizenReportCommandHandler(AlertsDbContext db, TimeProvider clock, IncidentBroadcaster broadcaster,
    OutboxDelivery outbox, ISender sender) : ICommandHandler<OpenIncidentFromCitizenReportCommand, Guid>
{
    public async ValueTask<Guid> Handle(OpenIncidentFromCitizenReportCommand command, CancellationToken cancellationToken)
    {
        var report = await db.CitizenReports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == command.ReportId, cancellationToken)
                     ?? throw new DomainRuleException("No such report.", 404);
        if (report.Status != CitizenReportStatus.Triage)
            throw new DomainRuleException("Only a report waiting in triage can open an incident.");
        var district = (await sender.Send(new LocateDistrictsQuery([new DistrictPointDto(report.Latitude, report.Longitude)]), cancellationToken))[0];
        var now = clock.GetUtcNow();
        var incident = new Incident
        {
            Id = Guid.CreateVersion7(), Kind = IncidentKinds.CitizenReport, Title = $"Citizen report: {CitizenReportCategories.Name(report.Category)}",
            Latitude = report.Latitude, Longitude = report.Longitude, Location = GeoMath.Point(report.Latitude, report.Longitude), OpenedAt = now,
            LastActivityAt = now, Source = $"citizen report ({command.By})", District = district,
        };
        var opened = new TimelineEntry
        {
            Id = Guid.CreateVersion7(), IncidentId = incident.Id, At = now, Module = "Alerts", Kind = "IncidentOpened",
            Text = $"Opened by {command.By} from a citizen report",
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Incidents.Add(incident);
        db.Timeline.Add(opened);
        var reactions = db.AddOutboxMessage(incident.Opened(null), incident.Id, deliveredByCaller: true);
        await db.SaveChangesAsync(cancellationToken);
        var entries = await CitizenReportFiling.AttachClusterAsync(db, clock, command.ReportId, incident, command.By, "citizen-report-open-incident",
            cancellationToken, transaction);
        await transaction.CommitAsync(cancellationToken);
        await broadcaster.IncidentChangedAsync(incident.ToDto(), opened.ToDto());
        foreach (var entry in entries)
            await broadcaster.TimelineAppendedAsync(entry.ToDto());
        outbox.Post(typeof(AlertsDbContext), reactions);
        return incident.Id;
    }
}

internal static class CitizenReportFiling
{
    /// <summary>The report and the rest of its cluster still in triage become witness statements of the incident (audited, one transaction).</summary>
    /// <returns>The timeline entries written, for the caller to push once its transaction has committed.</returns>
    public static async Task<List<TimelineEntry>> AttachClusterAsync(AlertsDbContext db, TimeProvider clock, Guid reportId, Incident incident,
        string by, string action, CancellationToken ct, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? outer = null)
    {
        var report = await db.CitizenReports.Include(r => r.Photos).FirstOrDefaultAsync(r => r.Id == reportId, ct)
                     ?? throw new DomainRuleException("No such report.", 404);
        if (report.Status != CitizenReportStatus.Triage)
            throw new DomainRuleException("Only a report waiting in triage can be attached.");
        var now = clock.GetUtcNow();
        var reports = await db.CitizenReports.Include(r => r.Photos)
            .Where(r => r.ClusterId == report.ClusterId && r.Status == CitizenReportStatus.Triage).OrderBy(r => r.OccurredAt).ToListAsync(ct);
        var entries = new List<TimelineEntry>();
        foreach (var r in reports)
        {
            r.AttachTo(incident.Id, by, now);
            var entry = WitnessStatements.TimelineEntry(r, incident, now);
            db.Timeline.Add(entry);
            entries.Add(entry);
        }
        var transaction = outer ?? await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
            await db.AuditAsync(by, "Alerts", action, null, new { incidentId = incident.Id, reportIds = reports.Select(r => r.Id) }, now, ct);
            if (outer is null)
                await transaction.CommitAsync(ct);
        }
        finally
        {
            if (outer is null)
                await transaction.DisposeAsync();
        }
        return entries;
    }
}
