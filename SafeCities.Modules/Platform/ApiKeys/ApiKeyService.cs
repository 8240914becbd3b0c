using System.Security.Cryptography;
using System.Text;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Platform.Data;
using SafeCities.Modules.Shared.Caching;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform.ApiKeys;

/// <summary>Issues, verifies and revokes API keys. A key is shown once; only its SHA-256 is kept.</summary>
internal sealed class ApiKeyService(PlatformDbContext db, TimeProvider clock, CacheInvalidation cache)
{
    public const int MinimumLength = 24;
    public static string NewKey() => "sck_" + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public async Task<string> CreateClientAsync(string name, string role, string createdBy, CancellationToken ct, Guid? agencyId = null)
    {
        if (!Roles.People.Contains(role))
            throw new ArgumentException($"Unknown role {role}.", nameof(role));
        var key = NewKey();
        await AddAsync(new ApiKey { Name = name, Kind = ApiKey.Client, Role = role, AgencyId = agencyId, Hash = Hash(key), Hint = key[..8], CreatedBy = createdBy }, ct);
        return key;
    }

    /// <summary>A partner agency's records-feed key (role AgencyFeed with the agency's id as a claim): it may push that agency's records, nothing else.</summary>
    public async Task<string> CreateAgencyFeedKeyAsync(Guid agencyId, string name, string createdBy, CancellationToken ct)
    {
        var key = NewKey();
        await AddAsync(new ApiKey { Name = name, Kind = ApiKey.Client, Role = Roles.AgencyFeed, AgencyId = agencyId, Hash = Hash(key), Hint = key[..8], CreatedBy = createdBy }, ct);
        return key;
    }

    public async Task<string> CreateDeviceKeyAsync(Guid deviceId, string deviceKind, string name, string createdBy, CancellationToken ct, string? key = null)
    {
        key ??= NewKey();
        await AddAsync(new ApiKey
        {
            Name = name, Kind = ApiKey.Device, DeviceId = deviceId, DeviceKind = deviceKind, Hash = Hash(key), Hint = key[..8], CreatedBy = createdBy,
        }, ct);
        return key;
    }

    /// <summary>Provisions an Administrator client with exactly this key unless it already exists (Bootstrap:AdminApiKey).</summary>
    public async Task EnsureBootstrapAdminAsync(string key, CancellationToken ct)
    {
        if (key.Length < MinimumLength)
            throw new InvalidOperationException($"Bootstrap:AdminApiKey must be at least {MinimumLength} characters.");
        var hash = Hash(key);
        if (await db.ApiKeys.AnyAsync(k => k.Hash == hash, ct))
            return;
        await AddAsync(new ApiKey { Name = "Bootstrap administrator", Kind = ApiKey.Client, Role = Roles.Administrator, Hash = hash, Hint = key[..8], CreatedBy = "bootstrap" }, ct);
    }

    public async Task<IReadOnlyList<ApiKeyDto>> ListAsync(string kind, CancellationToken ct) =>
        await db.ApiKeys.AsNoTracking().Where(k => k.Kind == kind).OrderByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeyDto(k.Id, k.Name, k.Kind, k.Role, k.DeviceId, k.DeviceKind, k.Hint, k.CreatedAt, k.CreatedBy, k.RevokedAt, k.AgencyId))
            .ToListAsync(ct);

    /// <summary>Revokes a key: this node refuses it at once, every other node as soon as the cache invalidation reaches it (milliseconds).</summary>
    public async Task<bool> RevokeAsync(Guid id, CancellationToken ct)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id && k.RevokedAt == null, ct);
        if (key is null)
            return false;
        key.RevokedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await cache.InvalidateAsync(ApiKeyAuthenticator.CacheKey(key.Hash));
        return true;
    }

    private async Task AddAsync(ApiKey key, CancellationToken ct)
    {
        db.ApiKeys.Add(new ApiKey
        {
            Id = Guid.CreateVersion7(), Name = key.Name, Kind = key.Kind, Role = key.Role, DeviceId = key.DeviceId, DeviceKind = key.DeviceKind, AgencyId = key.AgencyId,
            Hash = key.Hash, Hint = key.Hint, CreatedAt = clock.GetUtcNow(), CreatedBy = key.CreatedBy,
        });
        await db.SaveChangesAsync(ct);
    }

    internal static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
