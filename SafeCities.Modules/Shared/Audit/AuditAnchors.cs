using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using SafeCities.AuditVerify;
using SafeCities.Modules.Shared.Jobs;

namespace SafeCities.Modules.Shared.Audit;

/// <summary>The published anchors and the public key to check them with (/transparency/audit-anchors, the transparency page).</summary>
public sealed record GetAuditAnchorsQuery(int Limit = 4000) : IQuery<AuditAnchorsDto>;

/// <param name="AgencyReadsSha256">The digest of the day's list of agencies that read data (ADR 0055); null for days anchored before lists were signed.</param>
/// <param name="AgencyReadsSignature">Ed25519 signature of <c>"safecities-agency-reads-anchor-v1\nDAY\nSHA\n"</c> with the same key.</param>
public sealed record AuditAnchorDto(DateOnly Day, long LastId, string LastHash, string Signature, string PublicKey, DateTimeOffset CreatedAt,
    string? AgencyReadsSha256, string? AgencyReadsSignature);

/// <param name="PublicKey">The deployment's current Ed25519 public key (base64), or null when no signing key is configured (<paramref name="Problem"/> says why).</param>
/// <param name="Format">What <see cref="AuditAnchorDto.Signature"/> signs (unchanged since ADR 0046).</param>
/// <param name="AgencyReadsFormat">What <see cref="AuditAnchorDto.AgencyReadsSignature"/> signs (ADR 0055).</param>
public sealed record AuditAnchorsDto(string Format, string Algorithm, string? PublicKey, string? Problem, IReadOnlyList<AuditAnchorDto> Anchors,
    string AgencyReadsFormat);

/// <summary>
/// The deployment's Ed25519 key for the daily anchors: <c>Audit:AnchorKeyFile</c> holds the base64 of the 32-byte private key, outside git.
/// In Development and Testing a missing file is created with a new key under <c>data/keys/</c> (ignored by git); elsewhere a missing key is
/// reported on the transparency page and the anchor job fails loudly.
/// </summary>
internal sealed class AuditAnchorKey
{
    private readonly Lazy<(byte[]? Private, string? Public, string? Problem)> key;

    public AuditAnchorKey(IConfiguration config, IHostEnvironment environment) =>
        key = new(() => Load(config, environment));

    public byte[]? PrivateKey => key.Value.Private;
    public string? PublicKey => key.Value.Public;
    public string? Problem => key.Value.Problem;

    private static (byte[]?, string?, string?) Load(IConfiguration config, IHostEnvironment environment)
    {
        var generate = environment.IsDevelopment() || environment.IsEnvironment("Testing");
        var path = config["Audit:AnchorKeyFile"] is { Length: > 0 } configured ? configured
            : generate ? Path.Combine(environment.ContentRootPath, "data", "keys", "audit-anchor-ed25519.key") : null;
        if (path is null)
            return (null, null, "No signing key: set Audit:AnchorKeyFile to a file holding the base64 of a 32-byte Ed25519 private key.");
        path = Path.GetFullPath(path);
        if (!File.Exists(path) && generate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;   // the owner only
                using var file = new FileStream(path, options);
                using var writer = new StreamWriter(file);
                writer.Write(Convert.ToBase64String(AuditChainFormat.NewPrivateKey()));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another node created it first: use that one.
            }
        }
        try
        {
            var bytes = Convert.FromBase64String(File.ReadAllText(path).Trim());
            return bytes.Length == 32
                ? (bytes, Convert.ToBase64String(AuditChainFormat.PublicKey(bytes)), null)
                : (null, null, $"The signing key file {path} does not hold 32 bytes (base64).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return (null, null, $"The signing key file {path} cannot be read: {e.Message}");
        }
    }
}

/// <summary>
/// Daily (00:07 UTC): for each UTC day not anchored yet up to yesterday, the last entry written with a time in that day, its hash and the
/// Ed25519 signature of both (<see cref="AuditChainFormat.AnchorMessage"/>) go into <c>audit.anchors</c> (append-only), which is public. The same
/// row carries the digest of the day's list of agencies that read data (asked of Intelligence through <see cref="GetAgencyReadsDayQuery"/>) and a
/// second signature over it (<see cref="AuditChainFormat.AgencyReadsAnchorMessage"/>, ADR 0055).
/// </summary>
internal sealed class AnchorAuditLogJob(AuditDbContext db, AuditAnchorKey key, ISender sender, IMemoryCache cache, TimeProvider clock,
    ILogger<AnchorAuditLogJob> log)
{
    public Task RunAsync(CancellationToken ct) => AnchorThroughAsync(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-1), ct);

    /// <summary>Anchors every day up to <paramref name="lastDay"/> inclusive that has no anchor yet; returns how many were written.</summary>
    public async Task<int> AnchorThroughAsync(DateOnly lastDay, CancellationToken ct)
    {
        var anchored = await db.Anchors.MaxAsync(a => (DateOnly?)a.Day, ct);
        var firstAt = await db.Entries.MinAsync(e => (DateTimeOffset?)e.At, ct);
        if (firstAt is null)
            return 0;
        var written = 0;
        for (var day = anchored?.AddDays(1) ?? DateOnly.FromDateTime(firstAt.Value.UtcDateTime); day <= lastDay; day = day.AddDays(1))
            written += await AnchorDayAsync(day, ct) ? 1 : 0;
        if (written > 0)
            log.LogInformation("Anchored the audit log for {Days} day(s) through {Day}", written, lastDay);
        return written;
    }

    /// <summary>
    /// Anchors <paramref name="day"/> alone, unless it has an anchor already (an anchor is written once) or no entry lies before its end. The
    /// daily run goes through it for each new day; a test uses it for a day of its own that no other test anchors.
    /// </summary>
    public async Task<bool> AnchorDayAsync(DateOnly day, CancellationToken ct)
    {
        var privateKey = key.PrivateKey ?? throw new InvalidOperationException(key.Problem);
        var end = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var head = await db.Entries.Where(e => e.At < end).OrderByDescending(e => e.Id).Select(e => new { e.Id, e.Hash }).FirstOrDefaultAsync(ct);
        if (head is null)
            return false;
        var signature = AuditChainFormat.Sign(privateKey, AuditChainFormat.AnchorMessage(day, head.Id, head.Hash));
        var readsDigest = AgencyReadsDigest.Of(day, await sender.Send(new GetAgencyReadsDayQuery(day), ct));
        var readsSignature = AuditChainFormat.Sign(privateKey, AuditChainFormat.AgencyReadsAnchorMessage(day, readsDigest));
        var written = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO audit.anchors (day, last_id, last_hash, signature, public_key, created_at, agency_reads_sha256, agency_reads_signature)
            VALUES ({day}, {head.Id}, {head.Hash}, {signature}, {key.PublicKey}, {clock.GetUtcNow()}, {readsDigest}, {readsSignature})
            ON CONFLICT (day) DO NOTHING
            """, ct);
        cache.Remove(GetAgencyReadsDayFileQueryHandler.CacheKey(day));   // this node's copy of the day's file says "not anchored yet"
        return written == 1;
    }
}

internal sealed class GetAuditAnchorsQueryHandler(AuditDbContext db, AuditAnchorKey key) : IQueryHandler<GetAuditAnchorsQuery, AuditAnchorsDto>
{
    public async ValueTask<AuditAnchorsDto> Handle(GetAuditAnchorsQuery q, CancellationToken ct)
    {
        var anchors = await db.Anchors.AsNoTracking().OrderByDescending(a => a.Day).Take(Math.Clamp(q.Limit, 1, 4000))
            .Select(a => new AuditAnchorDto(a.Day, a.LastId, a.LastHash, a.Signature, a.PublicKey, a.CreatedAt, a.AgencyReadsSha256, a.AgencyReadsSignature))
            .ToListAsync(ct);
        return new("safecities-audit-anchor-v1", "Ed25519", key.PublicKey, key.Problem, anchors, AuditChainFormat.AgencyReadsAnchorVersion);
    }
}

public static class AuditAnchorsSetup
{
    public static IServiceCollection AddAuditAnchors(this IServiceCollection services)
    {
        services.AddSingleton<AuditAnchorKey>();
        services.AddScoped<AnchorAuditLogJob>();
        return services.AddRecurringJob<AnchorAuditLogJob>("audit:anchor-day", j => j.RunAsync(CancellationToken.None), "7 0 * * *");
    }
}
