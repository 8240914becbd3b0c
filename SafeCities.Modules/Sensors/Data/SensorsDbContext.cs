using SafeCities.Modules.Sensors.Domain;
using SafeCities.Modules.Sensors.Environment;
using SafeCities.Modules.Shared.Outbox;

namespace SafeCities.Modules.Sensors.Data;

internal sealed class SensorsDbContext(DbContextOptions<SensorsDbContext> options) : DbContext(options)
{
    public const string Schema = "sensors";

    public DbSet<SensorDevice> Devices => Set<SensorDevice>();
    public DbSet<GunshotDetection> Detections => Set<GunshotDetection>();
    public DbSet<Pulse> Pulses => Set<Pulse>();
    public DbSet<ThresholdRule> ThresholdRules => Set<ThresholdRule>();
    public DbSet<ThresholdRuleState> ThresholdRuleStates => Set<ThresholdRuleState>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.HasDefaultSchema(Schema);
        b.HasPostgresExtension("postgis");
        b.HasOutbox();
        b.Entity<SensorDevice>(e =>
        {
            e.Property(d => d.Kind).HasMaxLength(40);
            e.Property(d => d.Name).HasMaxLength(120);
            e.Property(d => d.Location).HasColumnType("geography (point, 4326)");
            e.HasIndex(d => d.Location).HasMethod("gist");
            e.HasIndex(d => d.Kind);
        });
        b.Entity<GunshotDetection>(e =>
        {
            e.Property(d => d.ExternalId).HasMaxLength(128);
            e.Property(d => d.Source).HasMaxLength(80);
            e.HasIndex(d => new { d.DeviceId, d.ExternalId }).IsUnique();
        });
        b.Entity<Pulse>(e =>
        {
            e.Property(p => p.PulseId).HasMaxLength(128);
            e.HasIndex(p => new { p.DeviceId, p.PulseId }).IsUnique();
            e.HasIndex(p => p.ArrivalTime).HasFilter("detection_id IS NULL");
            e.HasIndex(p => p.DetectionId);
        });
        b.Entity<ThresholdRule>(e =>
        {
            e.Property(r => r.Name).HasMaxLength(120);
            e.Property(r => r.Quantity).HasMaxLength(20);
            e.Property(r => r.Severity).HasMaxLength(10);
            e.Property(r => r.UpdatedBy).HasMaxLength(256);
            e.HasIndex(r => r.Quantity);
        });
        b.Entity<ThresholdRuleState>(e =>
        {
            e.HasKey(s => new { s.RuleId, s.DeviceId });
            e.Property(s => s.State).HasMaxLength(10);
        });
    }
}
