using FluentValidation.Results;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Alerts.Features;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Alerts.CitizenReports;

internal static class ReportChannels
{
    public const string Web = "web";
    public const string Open311 = "open311";

    /// <summary>The actor named on the timeline and in the audit log for what the intake itself decides.</summary>
    public const string Intake = "citizen-report-intake";
}

internal sealed class SubmitCitizenReportCommandValidator : AbstractValidator<SubmitCitizenReportCommand>
{
    public SubmitCitizenReportCommandValidator(TimeProvider clock, IOptions<CitizenReportsOptions> options)
    {
        var o = options.Value;
        RuleFor(c => c.Channel).Must(c => c is ReportChannels.Web or ReportChannels.Open311);
        RuleFor(c => c.Category).Must(c => CitizenReportCategories.Find(c) is not null)
            .WithMessage("Choose one of the categories: " + string.Join(", ", CitizenReportCategories.All.Select(c => c.Code)) + ".");
        RuleFor(c => c.Description).Must(d => !string.IsNullOrWhiteSpace(d)).WithMessage("Describe what you saw.")
            .MaximumLength(CitizenReport.MaxDescription);
        RuleFor(c => c.OccurredAt).NotNull().WithMessage("Say when it happened.")
            .Must(t => t is null || t <= clock.GetUtcNow().AddMinutes(5)).WithMessage("The time lies in the future.")
            .Must(t => t is null || t >= clock.GetUtcNow().AddDays(-o.MaxAgeDays))
            .WithMessage($"Reports here are for the last {o.MaxAgeDays} days; for anything older, call the police non-emergency number.");
        RuleFor(c => c.Latitude).NotNull().WithMessage("Mark the place on the map.").InclusiveBetween(-90, 90);
        RuleFor(c => c.Longitude).NotNull().WithMessage("Mark the place on the map.").InclusiveBetween(-180, 180);
        RuleFor(c => c.ContactName).MaximumLength(200);
        RuleFor(c => c.ContactPhone).MaximumLength(40).Matches(@"^\+?[0-9 ()./-]{3,40}$").When(c => !string.IsNullOrWhiteSpace(c.ContactPhone))
            .WithMessage("A phone number has digits, spaces and + ( ) - . / only.");
        RuleFor(c => c.ContactEmail).MaximumLength(254).EmailAddress().When(c => !string.IsNullOrWhiteSpace(c.ContactEmail));
        RuleFor(c => c.Photos).Must(p => p is null || p.Count <= o.MaxPhotos).WithMessage($"At most {o.MaxPhotos} photos.");
        RuleForEach(c => c.Photos).Must(p => p is not null && p.Bytes.Length <= o.MaxPhotoBytes)
            .WithMessage($"A photo may be at most {o.MaxPhotoBytes / (1024 * 1024)} MB.")
            .Must(p => p is null || PhotoSanitizer.Sniff(p.Bytes) is not null).WithMessage("A photo must be a JPEG or PNG image.");
    }
}

/// <summary>
/// Takes a report in: photos re-encoded (metadata gone), then, serialised with other reports, it joins the cluster of reports near it in place
/// and time, and becomes a witness statement of the open incident it happened near (or of the incident its cluster is already attached to);
/// otherwise it waits in triage. All in one transaction: a refused report writes nothing.
/// </summary>
internal sealed class SubmitCitizenReportCommandHandler(AlertsDbContext db, TimeProvider clock, IOptions<CitizenReportsOptions> options,
    IncidentBroadcaster broadcaster) : ICommandHandler<SubmitCitizenReportCommand, CitizenReportReceiptDto>
{
    public async ValueTask<CitizenReportReceiptDto> Handle(SubmitCitizenReportCommand command, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var photos = new List<CitizenReportPhoto>();
        var id = Guid.CreateVersion7();
        foreach (var (upload, index) in (command.Photos ?? []).Select((p, i) => (p, i)))
        {
            var (clean, refusal) = PhotoSanitizer.Sanitize(upload.Bytes, o.MaxPhotoBytes);
            if (clean is null)
                throw new ValidationException([new ValidationFailure($"Photos[{index}]", $"Photo {index + 1} {refusal}")]);
            // Ids in upload order (a version-7 id orders by its time only to the millisecond): "Photo 1" stays the first one sent.
            photos.Add(new CitizenReportPhoto { Id = Guid.CreateVersion7(clock.GetUtcNow().AddMilliseconds(index)), ReportId = id, ContentType = clean.ContentType, Bytes = clean.Bytes });
        }
        var now = clock.GetUtcNow();
        var at = command.OccurredAt!.Value.ToUniversalTime();
        if (at > now)
            at = now;
        double lat = command.Latitude!.Value, lon = command.Longitude!.Value;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLocks.CitizenReportIntake})", cancellationToken);
        var incident = await WitnessOfAsync(lat, lon, at, o, cancellationToken);
        var mate = await ClusterMateAsync(lat, lon, at, o, cancellationToken);
        if (incident is null && mate?.IncidentId is { } mateIncident)
            incident = await db.Incidents.FirstOrDefaultAsync(i => i.Id == mateIncident && i.Status != IncidentStatus.Closed, cancellationToken);

        var report = new CitizenReport
        {
            Id = id, Channel = command.Channel, Category = command.Category!, Description = command.Description!.Trim(), OccurredAt = at, ReceivedAt = now,
            UpdatedAt = now, Latitude = lat, Longitude = lon, Location = GeoMath.Point(lat, lon), ContactName = Blank(command.ContactName),
            ContactPhone = Blank(command.ContactPhone), ContactEmail = Blank(command.ContactEmail), ClusterId = mate?.ClusterId ?? id, Photos = photos,
        };
        db.CitizenReports.Add(report);
        TimelineEntry? entry = null;
        if (incident is not null)
        {
            report.AttachTo(incident.Id, ReportChannels.Intake, now);
            entry = WitnessStatements.TimelineEntry(report, incident, now);
            db.Timeline.Add(entry);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (entry is not null)
            await broadcaster.TimelineAppendedAsync(entry.ToDto());
        return new CitizenReportReceiptDto(report.Id, report.Status, report.IncidentId, report.ClusterId);
    }

    /// <summary>The nearest incident not closed whose span (opened … last activity) lies within the window of the report's time, within the radius.</summary>
    private async Task<Incident?> WitnessOfAsync(double lat, double lon, DateTimeOffset at, CitizenReportsOptions o, CancellationToken ct)
    {
        var window = TimeSpan.FromMinutes(o.WitnessWindowMinutes);
        var here = GeoMath.Point(lat, lon);
        var candidates = await db.Incidents
            .Where(i => i.Status != IncidentStatus.Closed && i.OpenedAt <= at + window && i.LastActivityAt >= at - window
                        && i.Location.IsWithinDistance(here, o.WitnessRadiusMeters * 1.01))
            .ToListAsync(ct);
        return candidates.Select(i => (Incident: i, Meters: GeoMath.DistanceMeters(lat, lon, i.Latitude, i.Longitude)))
            .Where(c => c.Meters <= o.WitnessRadiusMeters).OrderBy(c => c.Meters).Select(c => c.Incident).FirstOrDefault();
    }

    /// <summary>The nearest report not dismissed within the cluster radius and window (single linkage: a chain of reports across a wide area is one cluster).</summary>
    private async Task<CitizenReport?> ClusterMateAsync(double lat, double lon, DateTimeOffset at, CitizenReportsOptions o, CancellationToken ct)
    {
        var window = TimeSpan.FromMinutes(o.ClusterWindowMinutes);
        var here = GeoMath.Point(lat, lon);
        var candidates = await db.CitizenReports.AsNoTracking()
            .Where(r => r.Status != CitizenReportStatus.Dismissed && r.OccurredAt >= at - window && r.OccurredAt <= at + window
                        && r.Location.IsWithinDistance(here, o.ClusterRadiusMeters * 1.01))
            .ToListAsync(ct);
        return candidates.Select(r => (Report: r, Meters: GeoMath.DistanceMeters(lat, lon, r.Latitude, r.Longitude)))
            .Where(c => c.Meters <= o.ClusterRadiusMeters).OrderBy(c => c.Meters).Select(c => c.Report).FirstOrDefault();
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
