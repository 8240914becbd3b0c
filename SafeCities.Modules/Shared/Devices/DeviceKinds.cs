using System.Text.Json;
using FluentValidation.Results;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Shared.Devices;

/// <summary>
/// How a module registers and lists the devices of the kinds it declares (<see cref="DeviceKindServices.AddDeviceKinds{THandler}"/>). The
/// platform's one front door for devices (<c>POST /api/v1/devices</c>, the Devices page) dispatches to it by kind; the module keeps the device.
/// </summary>
public interface IDeviceKindHandler
{
    /// <summary>Registers a device whose common part is already valid; <paramref name="settings"/> is the module's own part (see the README).</summary>
    Task<DeviceDto> RegisterAsync(DeviceRegistration device, DeviceSettings settings, CancellationToken ct);

    /// <summary>The module's devices of <paramref name="kind"/>, or of every kind it declares when null.</summary>
    Task<IReadOnlyList<DeviceDto>> ListAsync(string? kind, CancellationToken ct);

    /// <summary>Renames and moves a device (<see cref="DeviceEditing.EditDeviceAsync{T}"/>); null when the module keeps no device with that id.</summary>
    Task<DeviceDto?> EditAsync(DeviceRegistration device, CancellationToken ct);

    /// <summary>What the module last heard from each of its devices of <paramref name="kind"/> (every kind it declares when null), and their last errors.</summary>
    Task<IReadOnlyList<DeviceHeardDto>> HealthAsync(string? kind, CancellationToken ct);

    /// <summary>The default silence thresholds of <paramref name="kind"/> (null: the kind speaks only when commanded).</summary>
    DeviceSilence? ExpectedSilence(string kind);
}

/// <summary>A kind of device (its name, e.g. <c>camera</c>) and the handler of the module that owns it.</summary>
public sealed record DeviceKind(string Name, Type Handler);

/// <summary>The <c>settings</c> object of a registration, read as the owning module's settings record.</summary>
public sealed class DeviceSettings(JsonElement? settings, JsonSerializerOptions options)
{
    /// <summary>The settings as <typeparamref name="T"/> (<paramref name="empty"/> when none were given); anything else is a 400 naming <c>settings</c>.</summary>
    public T Read<T>(T empty)
    {
        if (settings is not { ValueKind: JsonValueKind.Object } value)
            return settings is null or { ValueKind: JsonValueKind.Null }
                ? empty
                : throw new ValidationException([new ValidationFailure("Settings", "'settings' must be a JSON object.")]);
        try
        {
            return value.Deserialize<T>(options) ?? empty;
        }
        catch (JsonException ex)
        {
            throw new ValidationException([new ValidationFailure("Settings", $"'settings' is not valid for this kind: {ex.Message}")]);
        }
    }
}

/// <summary>What a module calls in its <c>AddXModule</c> to declare its device kinds; nothing central changes when a kind is added.</summary>
public static class DeviceKindServices
{
    /// <summary>Declares <paramref name="kinds"/> as this module's, registered and listed by <typeparamref name="THandler"/>.</summary>
    public static IServiceCollection AddDeviceKinds<THandler>(this IServiceCollection services, params string[] kinds)
        where THandler : class, IDeviceKindHandler
    {
        services.TryAddScoped<THandler>();
        foreach (var kind in kinds)
            services.AddSingleton(new DeviceKind(kind, typeof(THandler)));
        return services;
    }

    /// <summary>An authorization policy that admits only the keys of devices of <paramref name="kinds"/> (role Device, the kind as a claim).</summary>
    public static IServiceCollection AddDevicePolicy(this IServiceCollection services, string policy, params string[] kinds) =>
        services.Configure<AuthorizationOptions>(o => o.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(Roles.Device)
            .RequireClaim(Policies.DeviceKindClaim, kinds)));
}

/// <summary>
/// What a module last heard from one of its devices (a report, a read, an answered command), and its last error: the raw facts of device
/// health. The platform turns them into a status (ok / late / silent / failing) with each kind's thresholds (<see cref="DeviceSilence"/>).
/// </summary>
/// <param name="LastHeard">What was last heard, in words ("gunshot report", "plate read", "level command answered"); null when never.</param>
/// <param name="Failing">The device's latest command failed, or it reports a fault that is still open.</param>
public sealed record DeviceHeardDto(Guid Id, string Kind, string Name, DateTimeOffset RegisteredAt, DateTimeOffset? LastHeardAt, string? LastHeard,
    DateTimeOffset? LastErrorAt, string? LastError, bool Failing);

/// <summary>
/// How long a device of a kind may stay silent: late after <see cref="Late"/>, silent after <see cref="Silent"/> (measured from the last thing
/// heard, or from registration when nothing was). Null for kinds that speak only when commanded (cameras, streetlights): their status comes
/// from their commands' outcomes alone. Configuration <c>Platform:DeviceHealth:&lt;kind&gt;:LateAfterMinutes|SilentAfterMinutes</c> overrides it.
/// </summary>
public sealed record DeviceSilence(TimeSpan Late, TimeSpan Silent);
