using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Outbox;

namespace SafeCities.Modules.Plates.Data;

internal sealed class PlatesDbContext(DbContextOptions<PlatesDbContext> options) : DbContext(options)
{
    public const string Schema = "plates";

    public DbSet<PlateReader> Readers => Set<PlateReader>();
    public DbSet<PlateRead> Reads => Set<PlateRead>();
    public DbSet<IncidentReaction> Reactions => Set<IncidentReaction>();
    public DbSet<ReaderArming> Armings => Set<ReaderArming>();
    public DbSet<IncidentRead> IncidentReads => Set<IncidentRead>();
    public DbSet<PlatesReactionSettings> Settings => Set<PlatesReactionSettings>();
    public DbSet<RetentionRun> RetentionRuns => Set<RetentionRun>();
    public DbSet<Hotlist> Hotlists => Set<Hotlist>();
    public DbSet<HotlistEntry> HotlistEntries => Set<HotlistEntry>();
    public DbSet<HotlistHit> HotlistHits => Set<HotlistHit>();
    public DbSet<HotlistImport> HotlistImports => Set<HotlistImport>();
    public DbSet<HotlistImportLine> HotlistImportLines => Set<HotlistImportLine>();
    public DbSet<PlateImage> Images => Set<PlateImage>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.HasDefaultSchema(Schema);
        b.HasPostgresExtension("postgis");
        b.HasOutbox();
        b.Entity<PlateReader>(e =>
        {
            e.Property(r => r.Name).HasMaxLength(120);
            e.Property(r => r.Fault).HasMaxLength(PlateReader.MaxFaultLength);
            e.Property(r => r.Location).HasColumnType("geography (point, 4326)");
            e.HasIndex(r => r.Location).HasMethod("gist");
        });
        // Partitioned by day on captured_at (declarative; the partitions are made by PlateReadPartitions, see the migration
        // PartitionPlateReadsByDay): EF maps the parent table. Every unique key holds captured_at, the partition key.
        b.Entity<PlateRead>(e =>
        {
            e.ToTable("plate_reads");
            e.HasKey(r => new { r.Id, r.CapturedAt });
            e.Property(r => r.ReadId).HasMaxLength(128);
            e.Property(r => r.Plate).HasMaxLength(PlateNumber.MaxLength);
            e.Property(r => r.Region).HasMaxLength(8);
            e.Property(r => r.Make).HasMaxLength(40);
            e.Property(r => r.Model).HasMaxLength(40);
            e.Property(r => r.Color).HasMaxLength(30);
            e.Property(r => r.ImageRef).HasMaxLength(512);
            e.HasIndex(r => new { r.ReaderId, r.ReadId, r.CapturedAt }).IsUnique();
            e.HasIndex(r => new { r.ReaderId, r.CapturedAt });
            e.HasIndex(r => r.CapturedAt).HasMethod("brin");
        });
        b.Entity<PlateImage>(e =>
        {
            e.ToTable("plate_images");
            e.HasKey(i => new { i.ReaderId, i.ImageRef });
            e.Property(i => i.ImageRef).HasMaxLength(512);
            e.Property(i => i.ContentType).HasMaxLength(20);
            e.HasIndex(i => i.UploadedAt);
        });
        b.Entity<IncidentReaction>(e =>
        {
            e.ToTable("incident_reactions");
            e.HasKey(r => r.IncidentId);
            e.Property(r => r.Kind).HasMaxLength(40);
        });
        b.Entity<ReaderArming>(e =>
        {
            e.ToTable("reader_armings");
            e.HasIndex(a => new { a.IncidentId, a.ReaderId }).IsUnique();
            e.HasIndex(a => new { a.ReaderId, a.WindowEnd });
        });
        b.Entity<IncidentRead>(e =>
        {
            e.ToTable("incident_reads");
            e.HasKey(r => new { r.IncidentId, r.PlateReadId });
            e.HasIndex(r => r.PlateReadId);
            e.HasIndex(r => r.PassId);
        });
        b.Entity<RetentionRun>(e =>
        {
            e.ToTable("retention_runs");
            e.Property(r => r.DataClass).HasMaxLength(20);
            e.HasIndex(r => new { r.DataClass, r.Day });
            e.HasIndex(r => r.RunAt);
        });
        b.Entity<PlatesReactionSettings>(e =>
        {
            e.ToTable("reaction_settings");
            e.Property(s => s.Id).ValueGeneratedNever();
            e.Property(s => s.UpdatedBy).HasMaxLength(256);
            e.ToTable(t => t.HasCheckConstraint("ck_reaction_settings_single_row", $"id = {PlatesReactionSettings.SingletonId}"));
            e.HasData(new PlatesReactionSettings());
        });
        b.Entity<Hotlist>(e =>
        {
            e.ToTable("hotlists");
            e.Property(h => h.Name).HasMaxLength(120);
            e.Property(h => h.Kind).HasMaxLength(20);
            e.Property(h => h.AlertLevel).HasMaxLength(10);
            e.Property(h => h.Reason).HasMaxLength(300);
            e.Property(h => h.Owner).HasMaxLength(120);
            e.Property(h => h.Visibility).HasMaxLength(20);
            e.Property(h => h.CreatedBy).HasMaxLength(256);
            e.HasData(Features.IntelligenceHotlist.Seed());
        });
        b.Entity<HotlistEntry>(e =>
        {
            e.ToTable("hotlist_entries");
            e.Property(x => x.Plate).HasMaxLength(PlateNumber.MaxLength);
            e.Property(x => x.Region).HasMaxLength(8);
            e.Property(x => x.Reason).HasMaxLength(300);
            e.Property(x => x.Reference).HasMaxLength(64);
            e.Property(x => x.Description).HasMaxLength(200);
            e.HasOne<Hotlist>().WithMany().HasForeignKey(x => x.HotlistId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.HotlistId, x.Reference });
            e.HasIndex(x => x.Plate);
            e.Property(x => x.AddedVersion).HasDefaultValueSql("plates.hotlist_version_now()");
            e.HasIndex(x => x.AddedVersion);
            // A plate is active at most once per list and region (a repeat made every later import of the list fail). Intelligence's list
            // is kept by request: two requests may name the same vehicle, each withdrawn on its own.
            e.HasIndex(x => new { x.HotlistId, x.Plate, x.Region }).IsUnique().AreNullsDistinct(false)
                .HasFilter($"withdrawn_at IS NULL AND hotlist_id <> '{Features.IntelligenceHotlist.Id}'");
        });
        b.Entity<HotlistImport>(e =>
        {
            e.ToTable("hotlist_imports");
            e.Property(x => x.StartedBy).HasMaxLength(256);
            e.HasOne<Hotlist>().WithMany().HasForeignKey(x => x.HotlistId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.StartedAt);
        });
        b.Entity<HotlistImportLine>(e =>
        {
            e.ToTable("hotlist_import_lines");
            e.HasKey(x => new { x.ImportId, x.Line });
            e.Property(x => x.Plate).HasMaxLength(PlateNumber.MaxLength);
            e.Property(x => x.Region).HasMaxLength(8);
            e.Property(x => x.Reason).HasMaxLength(300);
            e.Property(x => x.Reference).HasMaxLength(64);
            e.Property(x => x.Description).HasMaxLength(200);
            e.Property(x => x.Rejection).HasMaxLength(300);
            e.HasOne<HotlistImport>().WithMany().HasForeignKey(x => x.ImportId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.ImportId, x.Plate });
        });
        // No foreign keys: a hit is evidence and outlives its entry (re-imports replace entries) until it is released.
        b.Entity<HotlistHit>(e =>
        {
            e.ToTable("hotlist_hits");
            e.Property(x => x.ReadPlate).HasMaxLength(PlateNumber.MaxLength);
            e.Property(x => x.EntryPlate).HasMaxLength(PlateNumber.MaxLength);
            e.Property(x => x.Region).HasMaxLength(8);
            e.Property(x => x.MatchKind).HasMaxLength(20);
            e.Property(x => x.ReleasedBy).HasMaxLength(256);
            e.Property(x => x.ReadMake).HasMaxLength(40);
            e.Property(x => x.ReadColor).HasMaxLength(40);
            e.Property(x => x.Decision).HasMaxLength(12).HasDefaultValue(Contracts.HitDecisions.Unconfirmed);
            e.Property(x => x.DecisionReason).HasMaxLength(40);
            e.Property(x => x.DecisionNotes).HasMaxLength(2000);
            e.Property(x => x.DecidedBy).HasMaxLength(256);
            e.HasIndex(x => new { x.EntryId, x.PlateReadId }).IsUnique();
            e.HasIndex(x => x.DetectedAt);
            e.HasIndex(x => x.ReadPlate);
        });
    }
}
