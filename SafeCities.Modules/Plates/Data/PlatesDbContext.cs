using Microsoft.EntityFrameworkCore;
using SafeCities.Modules.Plates.Domain;

namespace SafeCities.Modules.Plates.Data;

internal sealed class PlatesDbContext(DbContextOptions<PlatesDbContext> options) : DbContext(options)
{
    public const string Schema = "plates";

    public DbSet<PlateReader> Readers => Set<PlateReader>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.HasDefaultSchema(Schema);
        b.HasPostgresExtension("postgis");
        b.Entity<PlateReader>(e =>
        {
            e.Property(r => r.Name).HasMaxLength(120);
            e.Property(r => r.Location).HasColumnType("geography (point, 4326)");
            e.HasIndex(r => r.Location).HasMethod("gist");
        });
    }
}
