using System.Security.Claims;
using SafeCities.Modules.Platform.Data;
using SafeCities.Modules.Shared.Caching;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform.ApiKeys;

/// <summary>
/// Verifies an API key on every request that sends one: its SHA-256 looked up among the keys not revoked, the row cached on this node for
/// 30 s (a revocation drops it on every node at once, <see cref="ApiKeyService.RevokeAsync"/>). One for the app: a request whose key is
/// cached builds no DbContext (ADR 0057, tenth pass).
/// </summary>
internal sealed class ApiKeyAuthenticator(CacheInvalidation cache)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    public async Task<ClaimsPrincipal?> AuthenticateAsync(string key, string scheme, CancellationToken ct)
    {
        if (key.Length < ApiKeyService.MinimumLength || key.Length > 200)
            return null;
        var hash = ApiKeyService.Hash(key);
        var found = await cache.GetOrLoadAsync<PlatformDbContext, ApiKey?>(CacheKey(hash), CacheFor,
            (db, c) => db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Hash == hash && k.RevokedAt == null, c), ct);
        return found is null ? null : new ClaimsPrincipal(new ClaimsIdentity(Claims(found), scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    internal static string CacheKey(byte[] hash) => "apikey:" + Convert.ToHexString(hash);

    private static IEnumerable<Claim> Claims(ApiKey key)
    {
        yield return new Claim(ClaimTypes.NameIdentifier, key.Id.ToString());
        yield return new Claim(ClaimTypes.Name, $"{key.Kind}:{key.Name}");
        if (key.Kind == ApiKey.Client && key.Role is not null)
            yield return new Claim(ClaimTypes.Role, key.Role);
        if (key.AgencyId is { } agencyId)
            yield return new Claim(Policies.AgencyIdClaim, agencyId.ToString());
        if (key.Kind == ApiKey.Device)
        {
            yield return new Claim(ClaimTypes.Role, Roles.Device);
            yield return new Claim(Policies.DeviceIdClaim, key.DeviceId!.Value.ToString());
            yield return new Claim(Policies.DeviceKindClaim, key.DeviceKind!);
        }
    }
}
