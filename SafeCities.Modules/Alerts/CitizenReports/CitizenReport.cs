using NetTopologySuite.Geometries;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Alerts.CitizenReports;

/// <summary>What a member of the public saw. Contact details are optional and shown to staff only through an audited view.</summary>
internal sealed class CitizenReport
{
    public const int MaxDescription = 2000;

    public Guid Id { get; init; }
    public required string Channel { get; init; }
    public required string Category { get; init; }
    public required string Description { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public double Latitude { get; init; }
    public double Longitude { get; init; }
    public required Point Location { get; init; }
    public string? ContactName { get; init; }
    public string? ContactPhone { get; init; }
    public string? ContactEmail { get; init; }
    public string Status { get; private set; } = CitizenReportStatus.Triage;
    public Guid? IncidentId { get; private set; }

    /// <summary>The first report of the group it belongs to (its own id when it started one): reports near each other in place and time.</summary>
    public Guid ClusterId { get; init; }
    public string? DismissReason { get; private set; }
    public string? HandledBy { get; private set; }
    public List<CitizenReportPhoto> Photos { get; init; } = [];

    public bool HasContact => ContactName is not null || ContactPhone is not null || ContactEmail is not null;

    public void AttachTo(Guid incidentId, string by, DateTimeOffset at)
    {
        if (Status == CitizenReportStatus.Dismissed)
            throw new DomainRuleException("A dismissed report cannot be attached.");
        if (Status == CitizenReportStatus.Witness)
            throw new DomainRuleException("The report is already a witness statement of an incident.");
        Status = CitizenReportStatus.Witness;
        IncidentId = incidentId;
        HandledBy = by;
        UpdatedAt = at;
    }

    public void Dismiss(string by, string reason, DateTimeOffset at)
    {
        if (Status != CitizenReportStatus.Triage)
            throw new DomainRuleException("Only a report waiting in triage can be dismissed.");
        Status = CitizenReportStatus.Dismissed;
        DismissReason = reason;
        HandledBy = by;
        UpdatedAt = at;
    }

    public CitizenReportDto ToDto(int clusterSize) => new(Id, Channel, Category, Description, OccurredAt, ReceivedAt, Latitude, Longitude, Status,
        IncidentId, ClusterId, clusterSize, HasContact, Photos.Select(p => p.Id).ToList(), DismissReason, HandledBy);
}

/// <summary>A photo of a report, as re-encoded (no EXIF, no GPS, no comments: only pixels).</summary>
internal sealed class CitizenReportPhoto
{
    public Guid Id { get; init; }
    public Guid ReportId { get; init; }
    public required string ContentType { get; init; }
    public required byte[] Bytes { get; init; }
}

internal static class CitizenReportsModel
{
    /// <summary>The citizen-report tables of <see cref="Data.AlertsDbContext"/>.</summary>
    public static void ConfigureCitizenReports(this ModelBuilder b)
    {
        b.Entity<CitizenReport>(e =>
        {
            e.ToTable("citizen_reports");
            e.Property(r => r.Channel).HasMaxLength(20);
            e.Property(r => r.Category).HasMaxLength(40);
            e.Property(r => r.Description).HasMaxLength(CitizenReport.MaxDescription);
            e.Property(r => r.ContactName).HasMaxLength(200);
            e.Property(r => r.ContactPhone).HasMaxLength(40);
            e.Property(r => r.ContactEmail).HasMaxLength(254);
            e.Property(r => r.Status).HasMaxLength(20);
            e.Property(r => r.DismissReason).HasMaxLength(500);
            e.Property(r => r.HandledBy).HasMaxLength(256);
            e.Property(r => r.Location).HasColumnType("geography (point, 4326)");
            e.HasIndex(r => r.Location).HasMethod("gist");
            e.HasIndex(r => new { r.Status, r.ReceivedAt });
            e.HasIndex(r => r.ClusterId);
            e.HasIndex(r => r.IncidentId);
            e.HasIndex(r => r.ReceivedAt);
            e.Ignore(r => r.HasContact);
            e.HasMany(r => r.Photos).WithOne().HasForeignKey(p => p.ReportId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<CitizenReportPhoto>(e =>
        {
            e.ToTable("citizen_report_photos");
            e.Property(p => p.ContentType).HasMaxLength(40);
        });
    }
}
