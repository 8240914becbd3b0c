using Microsoft.EntityFrameworkCore;
using SafeCities.Modules.Video.Domain;

namespace SafeCities.Modules.Video.Data;

internal sealed class VideoDbContext(DbContextOptions<VideoDbContext> options) : DbContext(options)
{
    public const string Schema = "video";

    public DbSet<Camera> Cameras => Set<Camera>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.HasDefaultSchema(Schema);
        b.HasPostgresExtension("postgis");
        b.Entity<Camera>(e =>
        {
            e.Property(c => c.Name).HasMaxLength(120);
            e.Property(c => c.Type).HasMaxLength(10);
            e.Property(c => c.StreamUrl).HasMaxLength(500);
            e.Property(c => c.RecordingSystemId).HasMaxLength(80);
            e.Property(c => c.Location).HasColumnType("geography (point, 4326)");
            e.HasIndex(c => c.Location).HasMethod("gist");
        });
    }
}
