using Microsoft.EntityFrameworkCore;
using SafeCities.Modules.Intelligence.Domain;

namespace SafeCities.Modules.Intelligence.Data;

internal sealed class IntelligenceDbContext(DbContextOptions<IntelligenceDbContext> options) : DbContext(options)
{
    public const string Schema = "intelligence";

    public DbSet<Agency> Agencies => Set<Agency>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.HasDefaultSchema(Schema);
        b.HasPostgresExtension("pg_trgm");
        b.Entity<Agency>(e =>
        {
            e.Property(a => a.Name).HasMaxLength(160);
            e.Property(a => a.Kind).HasMaxLength(40);
            e.HasIndex(a => a.Name).IsUnique();
        });
    }
}
