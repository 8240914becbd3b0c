using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Shared.Outbox;

namespace SafeCities.Modules.Alerts.Data;

internal sealed class AlertsDbContext(DbContextOptions<AlertsDbContext> options) : DbContext(options)
{
    public const string Schema = "alerts";

    public DbSet<Incident> Incidents => Set<Incident>();
    public DbSet<IncidentDetection> Detections => Set<IncidentDetection>();
    public DbSet<TimelineEntry> Timeline => Set<TimelineEntry>();
    public DbSet<OfficerPosition> OfficerPositions => Set<OfficerPosition>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.HasDefaultSchema(Schema);
        b.HasPostgresExtension("postgis");
        b.HasOutbox();
        b.Entity<Incident>(e =>
        {
            e.Property(i => i.Kind).HasMaxLength(40);
            e.Property(i => i.Status).HasMaxLength(20);
            e.Property(i => i.Title).HasMaxLength(200);
            e.Property(i => i.Source).HasMaxLength(80);
            e.Property(i => i.AcknowledgedBy).HasMaxLength(256);
            e.Property(i => i.ClosedBy).HasMaxLength(256);
            e.Property(i => i.Location).HasColumnType("geography (point, 4326)");
            e.HasIndex(i => i.Location).HasMethod("gist");
            e.HasIndex(i => new { i.Status, i.LastActivityAt });
            e.Property(i => i.JoinKey).HasMaxLength(120);
            e.HasIndex(i => i.JoinKey).HasFilter("join_key IS NOT NULL AND status <> 'closed'");
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
