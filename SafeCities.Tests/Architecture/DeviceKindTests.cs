using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using SafeCities.Modules.Alerts;
using SafeCities.Modules.Intelligence;
using SafeCities.Modules.Lighting;
using SafeCities.Modules.Plates;
using SafeCities.Modules.Platform;
using SafeCities.Modules.Platform.Devices;
using SafeCities.Modules.Sensors;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Video;

namespace SafeCities.Tests.Architecture;

/// <summary>
/// Device kinds are declared by the modules that own them (<c>AddDeviceKinds</c> in their <c>AddXModule</c>), so adding a kind touches that
/// module only: each kind has exactly one owner, and the owner registers a handler of its own for it.
/// </summary>
public sealed class DeviceKindTests
{
    private static readonly IConfiguration Config = new ConfigurationBuilder().Build();

    private static readonly (string Module, Action<IServiceCollection> Add)[] Registrations =
    [
        ("Sensors", s => s.AddSensorsModule(Config)), ("Lighting", s => s.AddLightingModule(Config)), ("Video", s => s.AddVideoModule(Config)),
        ("Plates", s => s.AddPlatesModule(Config)), ("Intelligence", s => s.AddIntelligenceModule(Config)), ("Alerts", s => s.AddAlertsModule(Config)),
        ("Platform", s => s.AddPlatformModule(Config, new HostingEnvironment { EnvironmentName = "Testing" })),
    ];

    private static IServiceCollection ServicesOf(string module)
    {
        var services = new ServiceCollection();
        Registrations.Single(r => r.Module == module).Add(services);
        return services;
    }

    private static IReadOnlyList<DeviceKind> Declared(IServiceCollection services) =>
        [.. services.Where(d => d.ServiceType == typeof(DeviceKind)).Select(d => (DeviceKind)d.ImplementationInstance!)];

    [Fact]
    public void Every_module_is_looked_at() => Assert.Equal(ModuleBoundaryTests.Modules.Order(), Registrations.Select(r => r.Module).Order());

    [Fact]
    public void A_device_kind_is_declared_by_exactly_one_module_which_owns_its_handler()
    {
        var owners = Registrations.SelectMany(r => Declared(ServicesOf(r.Module)).Select(k => (r.Module, Kind: k))).ToList();

        Assert.Subset(owners.Select(o => o.Kind.Name).ToHashSet(), new HashSet<string>
        {
            DeviceKinds.AcousticSensor, DeviceKinds.GunshotFeed, DeviceKinds.EnvironmentalSensor, DeviceKinds.Streetlight, DeviceKinds.Camera, DeviceKinds.PlateReader,
        });
        Assert.All(owners.GroupBy(o => o.Kind.Name), g => Assert.Single(g));
        Assert.All(owners, o => Assert.StartsWith($"SafeCities.Modules.{o.Module}.", o.Kind.Handler.Namespace));
    }

    [Theory]
    [MemberData(nameof(ModuleBoundaryTests.ModuleNames), MemberType = typeof(ModuleBoundaryTests))]
    public void Every_declared_kind_has_a_registration_handler_in_its_module(string module)
    {
        var services = ServicesOf(module);
        foreach (var kind in Declared(services))
        {
            Assert.True(typeof(IDeviceKindHandler).IsAssignableFrom(kind.Handler) && kind.Handler is { IsClass: true, IsAbstract: false }, kind.Name);
            Assert.Contains(services, d => d.ServiceType == kind.Handler);
        }
    }

    [Fact]
    public void The_registry_refuses_to_start_with_a_kind_declared_twice()
    {
        var twice = new[] { new DeviceKind("camera", typeof(DeviceKindTests)), new DeviceKind("camera", typeof(object)) };
        Assert.Contains("'camera'", Assert.Throws<InvalidOperationException>(() => new DeviceKindCatalog(twice)).Message);
    }
}
