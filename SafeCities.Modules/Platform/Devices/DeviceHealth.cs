using Microsoft.Extensions.Configuration;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Platform.Devices;

/// <summary>
/// Device health for administrators: each module says what it last heard from its devices and their last errors
/// (<see cref="IDeviceKindHandler.HealthAsync"/>), and the platform judges the status with each kind's thresholds: the module's defaults
/// (<see cref="IDeviceKindHandler.ExpectedSilence"/>) unless <c>Platform:DeviceHealth:&lt;kind&gt;:LateAfterMinutes</c> / <c>SilentAfterMinutes</c>
/// say otherwise. A new kind needs only its handler.
/// </summary>
internal sealed class ListDeviceHealthQueryHandler(DeviceKindCatalog kinds, IServiceProvider services, IConfiguration config, TimeProvider clock)
    : IQueryHandler<ListDeviceHealthQuery, IReadOnlyList<DeviceHealthDto>>
{
    public const string Section = "Platform:DeviceHealth";

    public async ValueTask<IReadOnlyList<DeviceHealthDto>> Handle(ListDeviceHealthQuery query, CancellationToken cancellationToken)
    {
        IEnumerable<DeviceKind> owners = query.Kind is null ? kinds.Kinds.DistinctBy(k => k.Handler) : kinds.Find(query.Kind) is { } one ? [one] : [];
        var now = clock.GetUtcNow();
        var all = new List<DeviceHealthDto>();
        foreach (var owner in owners)
        {
            var handler = (IDeviceKindHandler)services.GetRequiredService(owner.Handler);
            foreach (var d in await handler.HealthAsync(query.Kind, cancellationToken))
            {
                var silence = Thresholds(handler, d.Kind);
                all.Add(new DeviceHealthDto(d.Id, d.Kind, d.Name, StatusOf(d, silence, now), d.RegisteredAt, d.LastHeardAt, d.LastHeard, d.LastErrorAt,
                    d.LastError, silence?.Late, silence?.Silent));
            }
        }
        return [.. all.OrderBy(d => Rank(d.Status)).ThenBy(d => d.Name, StringComparer.OrdinalIgnoreCase)];
    }

    public static string StatusOf(DeviceHeardDto d, DeviceSilence? silence, DateTimeOffset now)
    {
        if (d.Failing)
            return DeviceHealthStatus.Failing;
        if (silence is null)
            return DeviceHealthStatus.Ok;
        var quiet = now - (d.LastHeardAt ?? d.RegisteredAt);
        return quiet > silence.Silent ? DeviceHealthStatus.Silent : quiet > silence.Late ? DeviceHealthStatus.Late : DeviceHealthStatus.Ok;
    }

    private DeviceSilence? Thresholds(IDeviceKindHandler handler, string kind) => Thresholds(handler.ExpectedSilence(kind), config.GetSection($"{Section}:{kind}"));

    /// <summary>The module's defaults, each overridden by <c>LateAfterMinutes</c> / <c>SilentAfterMinutes</c> when configured (silent never before late).</summary>
    public static DeviceSilence? Thresholds(DeviceSilence? defaults, IConfiguration section)
    {
        var late = section.GetValue<double?>("LateAfterMinutes");
        var silent = section.GetValue<double?>("SilentAfterMinutes");
        if (late is null && silent is null)
            return defaults;
        var lateSpan = late is { } l ? TimeSpan.FromMinutes(l) : defaults?.Late ?? TimeSpan.FromMinutes(silent!.Value);
        var silentSpan = silent is { } s ? TimeSpan.FromMinutes(s) : defaults?.Silent ?? lateSpan;
        return new DeviceSilence(lateSpan, silentSpan < lateSpan ? lateSpan : silentSpan);
    }

    private static int Rank(string status) => status switch
    {
        DeviceHealthStatus.Failing => 0, DeviceHealthStatus.Silent => 1, DeviceHealthStatus.Late => 2, _ => 3,
    };
}
