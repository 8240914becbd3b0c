using System.Text.Json;
using Npgsql;

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
    /// <summary>The previous entry's <see cref="Hash"/> (64 zeros for the first); set by the database's append trigger (ADR 0046).</summary>
    public string PrevHash { get; init; } = "";
    /// <summary>SHA-256 (hex) of the entry's canonical content v1, which includes <see cref="PrevHash"/>: the log is a hash chain.</summary>
    public string Hash { get; init; } = "";
}

/// <summary>A day's signed anchor: the last entry of the UTC day and its hash, signed with the deployment's Ed25519 key (ADR 0046).</summary>
public sealed class AuditAnchor
{
    public DateOnly Day { get; init; }
    public long LastId { get; init; }
    public required string LastHash { get; init; }
    /// <summary>Ed25519 signature (base64) of <c>AuditAnchorFormat.Message</c>.</summary>
    public required string Signature { get; init; }
    /// <summary>The public key (base64, 32 bytes) the signature was made with, so a rotated key still verifies old anchors.</summary>
    public required string PublicKey { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>
    /// SHA-256 (hex) of the day's list of agencies that read data (<c>AuditChainFormat.AgencyReadsContent</c>, ADR 0055); null for days anchored
    /// before lists were signed.
    /// </summary>
    public string? AgencyReadsSha256 { get; init; }
    /// <summary>Ed25519 signature (base64) of <c>AuditChainFormat.AgencyReadsAnchorMessage</c> for the day and that digest, with the same key.</summary>
    public string? AgencyReadsSignature { get; init; }
}

/// <summary>The audit log (schema <c>audit</c>): searches with their purpose, configuration changes. Rows can be added, never changed or deleted.</summary>
internal sealed class AuditDbContext(DbContextOptions<AuditDbContext> options) : DbContext(options)
{
    public const string Schema = "audit";

    public DbSet<AuditEntry> Entries => Set<AuditEntry>();
    public DbSet<AuditAnchor> Anchors => Set<AuditAnchor>();

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
            e.Property(a => a.PrevHash).HasMaxLength(64).IsFixedLength();
            e.Property(a => a.Hash).HasMaxLength(64).IsFixedLength();
        });
        b.Entity<AuditAnchor>(e =>
        {
            e.ToTable("anchors");
            e.HasKey(a => a.Day);
            e.Property(a => a.LastHash).HasMaxLength(64).IsFixedLength();
            e.Property(a => a.Signature).HasMaxLength(100);
            e.Property(a => a.PublicKey).HasMaxLength(60);
            e.Property(a => a.AgencyReadsSha256).HasMaxLength(64).IsFixedLength();
            e.Property(a => a.AgencyReadsSignature).HasMaxLength(100);
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

    /// <summary>The same, on a plain connection inside the caller's transaction (jobs that work with Npgsql directly).</summary>
    public static async Task AuditAsync(this NpgsqlConnection connection, NpgsqlTransaction transaction, string actor, string module, string action,
        string? purpose, object details, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO audit.entries (at, actor, module, action, purpose, details) VALUES ($1, $2, $3, $4, $5, $6::jsonb)", connection, transaction);
        foreach (var value in new object?[] { at, actor, module, action, purpose, JsonSerializer.Serialize(details, JsonSerializerOptions.Web) })
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(ct);
    }
}
