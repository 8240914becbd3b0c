using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Text;
using SafeCities.Modules.Video.Domain;
using SafeCities.Modules.Video.Evidence;

namespace SafeCities.Modules.Video.Data;

internal sealed class VideoDbContext(DbContextOptions<VideoDbContext> options) : DbContext(options)
{
    public const string Schema = "video";

    public DbSet<Camera> Cameras => Set<Camera>();
    public DbSet<IncidentReaction> IncidentReactions => Set<IncidentReaction>();
    public DbSet<IncidentCamera> IncidentCameras => Set<IncidentCamera>();
    public DbSet<VideoReactionSettings> ReactionSettings => Set<VideoReactionSettings>();
    public DbSet<EvidenceClip> EvidenceClips => Set<EvidenceClip>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.HasDefaultSchema(Schema);
        b.HasPostgresExtension("postgis");
        b.HasOutbox();
        b.Entity<Camera>(e =>
        {
            e.Property(c => c.Name).HasMaxLength(120);
            e.Property(c => c.Type).HasMaxLength(10);
            e.Property(c => c.StreamUrl).HasMaxLength(500);
            e.Property(c => c.RecordingSystemId).HasMaxLength(80);
            e.Property(c => c.Location).HasColumnType("geography (point, 4326)");
            e.HasIndex(c => c.Location).HasMethod("gist");
        });
        b.Entity<IncidentReaction>(e =>
        {
            e.HasKey(r => r.IncidentId);
            e.Property(r => r.Kind).HasMaxLength(40);
            e.Property(r => r.Summary).HasMaxLength(TextLimit.Line);
        });
        b.Entity<IncidentCamera>(e =>
        {
            e.HasKey(c => new { c.IncidentId, c.CameraId });
            e.Property(c => c.Role).HasMaxLength(10);
            e.Property(c => c.Status).HasMaxLength(20);
            e.Property(c => c.BookmarkLabel).HasMaxLength(200);
            e.Property(c => c.Failure).HasMaxLength(500);
            e.HasOne<Camera>().WithMany().HasForeignKey(c => c.CameraId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(c => c.CameraId);
        });
        b.Entity<VideoReactionSettings>(e =>
        {
            e.ToTable("reaction_settings", t => t.HasCheckConstraint("ck_reaction_settings_single_row", $"id = {VideoReactionSettings.SingletonId}"));
            e.Property(s => s.Id).ValueGeneratedNever();
            e.Property(s => s.UpdatedBy).HasMaxLength(256);
            e.HasData(new VideoReactionSettings());
        });
        b.Entity<EvidenceClip>(e =>
        {
            e.Property(c => c.CameraName).HasMaxLength(120);
            e.Property(c => c.FileName).HasMaxLength(80);
            e.Property(c => c.Sha256).HasMaxLength(64).IsFixedLength();
            e.Property(c => c.SavedBy).HasMaxLength(256);
            e.Property(c => c.Status).HasMaxLength(20).HasDefaultValue(EvidenceClipStatus.Saved);
            e.Property(c => c.Failure).HasMaxLength(500);
            e.Property(c => c.Source).HasMaxLength(40).HasDefaultValue(LiveStreamRecordingSystem.SourceName);
            e.HasIndex(c => c.IncidentId);
            e.HasIndex(c => c.Status).HasFilter("status = 'recording'");
            e.HasOne<Camera>().WithMany().HasForeignKey(c => c.CameraId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
