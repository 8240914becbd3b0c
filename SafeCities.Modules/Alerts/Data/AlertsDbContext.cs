using SafeCities.Modules.Alerts.CitizenReports;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Alerts.InboundCap;
using SafeCities.Modules.Alerts.PublicAlerts;
using SafeCities.Modules.Alerts.Subscribers;
using SafeCities.Modules.Shared.Outbox;

namespace SafeCities.Modules.Alerts.Data;

internal sealed class AlertsDbContext(DbContextOptions<AlertsDbContext> options) : DbContext(options)
{
    public const string Schema = "alerts";

    public DbSet<Incident> Incidents => Set<Incident>();
    public DbSet<IncidentDetection> Detections => Set<IncidentDetection>();
    public DbSet<TimelineEntry> Timeline => Set<TimelineEntry>();
    public DbSet<OfficerPosition> OfficerPositions => Set<OfficerPosition>();
    public DbSet<IncidentStatusChange> StatusChanges => Set<IncidentStatusChange>();
    public DbSet<IncidentNote> Notes => Set<IncidentNote>();
    public DbSet<IncidentCorrection> Corrections => Set<IncidentCorrection>();
    public DbSet<PublicAlertMessage> PublicAlertMessages => Set<PublicAlertMessage>();
    public DbSet<CitizenReport> CitizenReports => Set<CitizenReport>();
    public DbSet<CitizenReportPhoto> CitizenReportPhotos => Set<CitizenReportPhoto>();
    public DbSet<InboundCapAlert> InboundCapAlerts => Set<InboundCapAlert>();
    public DbSet<InboundCapFeed> CapFeeds => Set<InboundCapFeed>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.HasDefaultSchema(Schema);
        b.HasPostgresExtension("postgis");
        b.HasOutbox();
        b.ApplyConfiguration(new PublicAlertMessageConfiguration());
        b.ConfigureCitizenReports();
        b.ConfigureInboundCap();
        b.ConfigureCapFeeds();
        b.ConfigureSubscribers();
        b.ConfigureIncidentCorrections();
        b.Entity<Incident>(e =>
        {
            e.Property(i => i.Kind).HasMaxLength(40);
            e.Property(i => i.Status).HasMaxLength(20);
            e.Property(i => i.Title).HasMaxLength(Incident.TitleLength);
            e.Property(i => i.Source).HasMaxLength(80);
            e.Property(i => i.AcknowledgedBy).HasMaxLength(256);
            e.Property(i => i.ClosedBy).HasMaxLength(256);
            e.Property(i => i.Location).HasColumnType("geography (point, 4326)");
            e.Property(i => i.District).HasMaxLength(40);
            e.HasIndex(i => i.Location).HasMethod("gist");
            e.HasIndex(i => new { i.Status, i.LastActivityAt });
            e.Property(i => i.JoinKey).HasMaxLength(120);
            e.HasIndex(i => i.JoinKey).HasFilter("join_key IS NOT NULL AND status <> 'closed'");
            e.Property(i => i.Outcome).HasMaxLength(40);
            e.Property(i => i.OutcomeNotes).HasMaxLength(IncidentOutcomes.MaxNotes);
            e.HasIndex(i => i.OpenedAt);
        });
        b.Entity<IncidentStatusChange>(e =>
        {
            e.ToTable("incident_status_changes");
            e.Property(c => c.By).HasMaxLength(256);
            e.Property(c => c.FromStatus).HasMaxLength(20);
            e.Property(c => c.ToStatus).HasMaxLength(20);
            e.Property(c => c.Outcome).HasMaxLength(40);
            e.Property(c => c.Notes).HasMaxLength(IncidentOutcomes.MaxNotes);
            e.HasIndex(c => new { c.IncidentId, c.At });
        });
        b.Entity<IncidentNote>(e =>
        {
            e.ToTable("incident_notes");
            e.Property(n => n.By).HasMaxLength(256);
            e.Property(n => n.Text).HasMaxLength(IncidentOutcomes.MaxNotes);
            e.HasIndex(n => new { n.IncidentId, n.At });
        });
        b.Entity<IncidentDetection>(e =>
        {
            e.HasKey(d => d.DetectionId);
            e.HasIndex(d => d.IncidentId);
        });
        b.Entity<TimelineEntry>(e =>
        {
            e.Property(t => t.Module).HasMaxLength(40);
            e.Property(t => t.Kind).HasMaxLength(60);
            e.Property(t => t.Text).HasMaxLength(TimelineEntry.MaxText);
            e.HasIndex(t => new { t.IncidentId, t.At });
        });
        b.Entity<OfficerPosition>(e =>
        {
            e.HasKey(p => p.UserName);
            e.Property(p => p.UserName).HasMaxLength(256);
            e.Property(p => p.Location).HasColumnType("geography (point, 4326)");
            e.HasIndex(p => p.Location).HasMethod("gist");
            e.HasIndex(p => p.ReportedAt);
        });
    }
}
