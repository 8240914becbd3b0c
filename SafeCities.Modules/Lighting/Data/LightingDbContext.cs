using Microsoft.EntityFrameworkCore;
using SafeCities.Modules.Lighting.Domain;

namespace SafeCities.Modules.Lighting.Data;

internal sealed class LightingDbContext(DbContextOptions<LightingDbContext> options) : DbContext(options)
{
    public const string Schema = "lighting";

    public DbSet<Streetlight> Streetlights => Set<Streetlight>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.HasDefaultSchema(Schema);
        b.HasPostgresExtension("postgis");
        b.Entity<Streetlight>(e =>
        {
            e.Property(l => l.Name).HasMaxLength(120);
            e.Property(l => l.Circuit).HasMaxLength(60);
            e.Property(l => l.ControllerId).HasMaxLength(60);
            e.Property(l => l.State).HasMaxLength(20);
            e.Property(l => l.Location).HasColumnType("geography (point, 4326)");
            e.HasIndex(l => l.Location).HasMethod("gist");
        });
    }
}
