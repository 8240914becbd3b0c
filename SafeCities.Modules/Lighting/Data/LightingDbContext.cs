using SafeCities.Modules.Lighting.Domain;
using SafeCities.Modules.Shared.Outbox;

namespace SafeCities.Modules.Lighting.Data;

internal sealed class LightingDbContext(DbContextOptions<LightingDbContext> options) : DbContext(options)
{
    public const string Schema = "lighting";

    public DbSet<Streetlight> Streetlights => Set<Streetlight>();
    public DbSet<IncidentLighting> IncidentLighting => Set<IncidentLighting>();
    public DbSet<LightRaise> Raises => Set<LightRaise>();
    public DbSet<LevelChange> LevelChanges => Set<LevelChange>();
    public DbSet<ReactionSettings> Settings => Set<ReactionSettings>();
    public DbSet<WorkOrder> WorkOrders => Set<WorkOrder>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.HasDefaultSchema(Schema);
        b.HasPostgresExtension("postgis");
        b.HasOutbox();
        b.Entity<Streetlight>(e =>
        {
            e.Property(l => l.Name).HasMaxLength(120);
            e.Property(l => l.Circuit).HasMaxLength(60);
            e.Property(l => l.ControllerId).HasMaxLength(60);
            e.Property(l => l.State).HasMaxLength(20);
            e.Property(l => l.Location).HasColumnType("geography (point, 4326)");
            e.HasIndex(l => l.Location).HasMethod("gist");
        });
        b.Entity<IncidentLighting>(e =>
        {
            e.ToTable("incident_lighting");
            e.HasKey(i => i.IncidentId);
            e.Property(i => i.Kind).HasMaxLength(40);
            e.Property(i => i.Outcome).HasMaxLength(20);
            e.Property(i => i.Summary).HasMaxLength(1000);
            e.Property(i => i.RestoreJobId).HasMaxLength(100);
            e.HasIndex(i => i.RestoreDueAt).HasFilter("restored_at IS NULL");
        });
        b.Entity<LightRaise>(e =>
        {
            e.ToTable("light_raises");
            e.Property(r => r.Status).HasMaxLength(20);
            e.Property(r => r.Error).HasMaxLength(500);
            e.HasIndex(r => new { r.IncidentId, r.LightId }).IsUnique();
            e.HasIndex(r => r.LightId).HasFilter("ended_at IS NULL");
            e.HasOne<Streetlight>().WithMany().HasForeignKey(r => r.LightId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<LevelChange>(e =>
        {
            e.ToTable("level_changes");
            e.Property(c => c.Reason).HasMaxLength(40);
            e.Property(c => c.Outcome).HasMaxLength(20);
            e.Property(c => c.Error).HasMaxLength(500);
            e.HasIndex(c => new { c.LightId, c.At });
            e.HasIndex(c => c.IncidentId);
        });
        b.Entity<ReactionSettings>(e =>
        {
            e.ToTable("reaction_settings");
            e.Property(s => s.Id).ValueGeneratedNever();
            e.Property(s => s.UpdatedBy).HasMaxLength(256);
            e.ToTable(t => t.HasCheckConstraint("ck_reaction_settings_singleton", "id = 1"));
        });
        b.Entity<WorkOrder>(e =>
        {
            e.ToTable("work_orders");
            e.Property(w => w.FaultKind).HasMaxLength(40);
            e.Property(w => w.ClosedBy).HasMaxLength(256);
            // One open work order per light and fault kind: the database refuses a second one even under concurrent reports.
            e.HasIndex(w => new { w.LightId, w.FaultKind }).IsUnique().HasFilter("closed_at IS NULL");
            e.HasIndex(w => w.OpenedAt).HasFilter("closed_at IS NULL");
            e.HasOne<Streetlight>().WithMany().HasForeignKey(w => w.LightId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
