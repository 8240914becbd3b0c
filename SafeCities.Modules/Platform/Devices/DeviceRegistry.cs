using System.Text.Json;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http.Json;
using SafeCities.Modules.Platform.ApiKeys;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Platform.Data;
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
    IOptions<JsonOptions> json)
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

    private IDeviceKindHandler Handler(DeviceKind kind) => (IDeviceKindHandler)services.GetRequiredService(kind.Handler);

    private ValidationException UnknownKind() =>
        new([new ValidationFailure("Kind", $"'kind' must be one of: {string.Join(", ", kinds.Names)}.")]);
}
