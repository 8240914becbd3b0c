using System.Text.Json;

namespace SafeCities.Modules.Shared.Audit;

/// <summary>One append-only record: who did what, when, why (purpose) and with which terms or values.</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    public required string Actor { get; init; }
    public required string Module { get; init; }
    public required string Action { get; init; }
    public string? Purpose { get; init; }
    public required string Details { get; init; }
}

/// <summary>The audit log (schema <c>audit</c>): searches with their purpose, configuration changes. Rows can be added, never changed or deleted.</summary>
internal sealed class AuditDbContext(DbContextOptions<AuditDbContext> options) : DbContext(options)
{
    public const string Schema = "audit";

    public DbSet<AuditEntry> Entries => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.HasDefaultSchema(Schema);
        b.Entity<AuditEntry>(e =>
        {
            e.ToTable("entries");
            e.Property(a => a.Actor).HasMaxLength(256);
            e.Property(a => a.Module).HasMaxLength(40);
            e.Property(a => a.Action).HasMaxLength(80);
            e.Property(a => a.Purpose).HasMaxLength(500);
            e.Property(a => a.Details).HasColumnType("jsonb");
            e.HasIndex(a => a.At);
            e.HasIndex(a => new { a.Module, a.Action, a.At });
        });
    }
}

public static class AuditLog
{
    /// <summary>
    /// Appends an audit record through the caller's own DbContext connection, so that inside the caller's transaction the change
    /// and its audit record commit (or roll back) together.
    /// </summary>
    public static async Task AuditAsync(this DbContext db, string actor, string module, string action, string? purpose, object details,
        DateTimeOffset at, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(details, JsonSerializerOptions.Web);
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO audit.entries (at, actor, module, action, purpose, details) VALUES ({at}, {actor}, {module}, {action}, {purpose}, {json}::jsonb)", ct);
    }
}
