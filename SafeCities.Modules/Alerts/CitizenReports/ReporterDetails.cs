using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Shared.Audit;

namespace SafeCities.Modules.Alerts.CitizenReports;

internal sealed class ViewReporterContactCommandValidator : AbstractValidator<ViewReporterContactCommand>
{
    public ViewReporterContactCommandValidator()
    {
        RuleFor(c => c.ReportId).NotEmpty();
        RuleFor(c => c.By).NotEmpty().MaximumLength(256);
        RuleFor(c => c.Purpose).MaximumLength(200);
    }
}

/// <summary>A reporter's contact details, shown to one member of staff: the view is audited in the same transaction (even when there is none to show).</summary>
internal sealed class ViewReporterContactCommandHandler(AlertsDbContext db, TimeProvider clock) : ICommandHandler<ViewReporterContactCommand, ReporterContactDto?>
{
    public async ValueTask<ReporterContactDto?> Handle(ViewReporterContactCommand command, CancellationToken cancellationToken)
    {
        var contact = await db.CitizenReports.AsNoTracking().Where(r => r.Id == command.ReportId)
            .Select(r => new ReporterContactDto(r.ContactName, r.ContactPhone, r.ContactEmail)).FirstOrDefaultAsync(cancellationToken);
        if (contact is null)
            return null;
        await db.AuditAsync(command.By, "Alerts", "citizen-report-contact-view", command.Purpose, new { reportId = command.ReportId }, clock.GetUtcNow(),
            cancellationToken);
        return contact;
    }
}

/// <summary>A report's photo for staff; every view is audited.</summary>
internal sealed class ViewReportPhotoCommandHandler(AlertsDbContext db, TimeProvider clock) : ICommandHandler<ViewReportPhotoCommand, ReportPhotoDto?>
{
    public async ValueTask<ReportPhotoDto?> Handle(ViewReportPhotoCommand command, CancellationToken cancellationToken)
    {
        var photo = await db.CitizenReportPhotos.AsNoTracking().FirstOrDefaultAsync(p => p.Id == command.PhotoId, cancellationToken);
        if (photo is null)
            return null;
        await db.AuditAsync(command.By, "Alerts", "citizen-report-photo-view", null, new { reportId = photo.ReportId, photoId = photo.Id },
            clock.GetUtcNow(), cancellationToken);
        return new ReportPhotoDto(photo.Id, photo.ReportId, photo.ContentType, photo.Bytes);
    }
}

/// <summary>The recurring purge (<c>alerts:purge-citizen-reports</c>): reports older than the retention, with their photos (cascade).</summary>
internal sealed class PurgeCitizenReportsCommandHandler(AlertsDbContext db, TimeProvider clock, IOptions<CitizenReportsOptions> options,
    ILogger<PurgeCitizenReportsCommandHandler> logger) : ICommandHandler<PurgeCitizenReportsCommand, int>
{
    public async ValueTask<int> Handle(PurgeCitizenReportsCommand command, CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow().AddDays(-options.Value.RetentionDays);
        var purged = await db.CitizenReports.Where(r => r.ReceivedAt < before).ExecuteDeleteAsync(cancellationToken);
        if (purged > 0)
            logger.LogInformation("Purged {Count} citizen reports received before {Before}", purged, before);
        return purged;
    }
}

internal sealed class PurgeCitizenReportsJob(ISender sender)
{
    public async Task RunAsync(CancellationToken ct) => await sender.Send(new PurgeCitizenReportsCommand(), ct);
}
