using System.Text.Json;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http.Json;
using SafeCities.Modules.Platform.ApiKeys;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Platform.Data;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Platform.Devices;

/// <summary>Body of <c>POST /api/v1/devices</c>; <see cref="Settings"/> is the owning module's part (see the README).</summary>
internal sealed record RegisterDeviceRequest(string Kind, string Name, double Latitude, double Longitude, double? ElevationMeters = null,
    JsonElement? Settings = null);

/// <summary>The device kinds the modules declared (<see cref="DeviceKindServices.AddDeviceKinds{THandler}"/>), each owned by exactly one handler.</summary>
internal sealed class DeviceKindCatalog
{
    private readonly Dictionary<string, DeviceKind> byName;

    public DeviceKindCatalog(IEnumerable<DeviceKind> declared)
    {
        Kinds = [.. declared];
        if (Kinds.GroupBy(k => k.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new InvalidOperationException($"Device kind '{twice.Key}' is declared by {string.Join(" and ", twice.Select(k => k.Handler.Name))}.");
        byName = Kinds.ToDictionary(k => k.Name);
    }

    public IReadOnlyList<DeviceKind> Kinds { get; }

    public IReadOnlyList<string> Names => [.. Kinds.Select(k => k.Name)];

    public DeviceKind? Find(string? kind) => kind is not null && byName.TryGetValue(kind, out var found) ? found : null;
}

/// <summary>
/// One front door for every kind of device: the owning module keeps the device and its module-specific data (through the handler it
/// declared for the kind), the platform keeps its key (shown once, stored hashed). The key is written first in a transaction that commits
/// only once the module has registered the device, so a refused registration (bad settings, a database error) leaves no key behind; only
/// a failure of that last commit could leave a device without a key (re-register it).
/// </summary>
internal sealed class DeviceRegistry(DeviceKindCatalog kinds, IServiceProvider services, ApiKeyService keys, PlatformDbContext platform,
    IOptions<JsonOptions> json, TimeProvider clock)
{
    public async Task<RegisteredDeviceDto> RegisterAsync(RegisterDeviceRequest request, string createdBy, CancellationToken ct, string? key = null)
    {
        var kind = kinds.Find(request.Kind) ?? throw UnknownKind();
        var registration = new DeviceRegistration(Guid.CreateVersion7(), kind.Name, request.Name ?? "", request.Latitude, request.Longitude,
            request.ElevationMeters);
        await new DeviceRegistrationValidator().ValidateAndThrowAsync(registration, ct);
        await using var tx = await platform.Database.BeginTransactionAsync(ct);
        var apiKey = await keys.CreateDeviceKeyAsync(registration.Id, kind.Name, registration.Name, createdBy, ct, key);
        var device = await Handler(kind).RegisterAsync(registration, new DeviceSettings(request.Settings, json.Value.SerializerOptions), ct);
        await tx.CommitAsync(ct);
        return new RegisteredDeviceDto(device.Id, apiKey, device);
    }

    public async Task<IReadOnlyList<DeviceDto>> ListAsync(string? kind, CancellationToken ct)
    {
        IEnumerable<DeviceKind> owners = kind is null ? kinds.Kinds.DistinctBy(k => k.Handler) : [kinds.Find(kind) ?? throw UnknownKind()];
        var all = new List<DeviceDto>();
        foreach (var owner in owners)
            all.AddRange(await Handler(owner).ListAsync(kind, ct));
        return all;
    }

    /// <summary>Renames and moves a device in the module that keeps it; null when no module keeps it. Audited with before and after.</summary>
    public async Task<DeviceDto?> EditAsync(Guid id, string name, double latitude, double longitude, double? elevationMeters, string actor, CancellationToken ct)
    {
        var before = (await ListAsync(null, ct)).SingleOrDefault(d => d.Id == id);
        if (before is null)
            return null;
        var edit = new DeviceRegistration(id, before.Kind, name ?? "", latitude, longitude, elevationMeters);
        await new DeviceRegistrationValidator().ValidateAndThrowAsync(edit, ct);
        var after = await Handler(kinds.Find(before.Kind)!).EditAsync(edit, ct);
        await platform.AuditAsync(actor, "Platform", "device-edit", null, new
        {
            device = id, kind = before.Kind, before = new { before.Name, before.Latitude, before.Longitude, before.ElevationMeters },
            after = new { edit.Name, edit.Latitude, edit.Longitude, edit.ElevationMeters },
        }, clock.GetUtcNow(), ct);
        return after;
    }

    /// <summary>
    /// Revokes the device's keys and, when <paramref name="replace"/>, issues a new one (answered once): a key that leaked or left with a
    /// contractor stops working at once on every node. Null when no device has that id.
    /// </summary>
    public async Task<DeviceKeyChangeDto?> ChangeKeyAsync(Guid id, bool replace, string actor, CancellationToken ct)
    {
        var device = (await ListAsync(null, ct)).SingleOrDefault(d => d.Id == id);
        if (device is null)
            return null;
        // Each revocation commits and is then announced to every node's cache (an announcement inside a transaction could reach another
        // node before the commit, which would cache the key again); a failure half-way leaves fewer keys, never more: do it again.
        var revoked = 0;
        foreach (var key in (await keys.ListAsync(ApiKey.Device, ct)).Where(k => k.DeviceId == id && k.RevokedAt is null))
            revoked += await keys.RevokeAsync(key.Id, ct) ? 1 : 0;
        var newKey = replace ? await keys.CreateDeviceKeyAsync(id, device.Kind, device.Name, actor, ct) : null;
        await platform.AuditAsync(actor, "Platform", replace ? "device-key-replace" : "device-key-revoke", null,
            new { device = id, kind = device.Kind, revoked }, clock.GetUtcNow(), ct);
        return new DeviceKeyChangeDto(id, revoked, newKey);
    }

    private IDeviceKindHandler Handler(DeviceKind kind) => (IDeviceKindHandler)services.GetRequiredService(kind.Handler);

    private ValidationException UnknownKind() =>
        new([new ValidationFailure("Kind", $"'kind' must be one of: {string.Join(", ", kinds.Names)}.")]);
}
