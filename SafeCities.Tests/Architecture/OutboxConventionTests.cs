using Mediator;
using SafeCities.Modules.Sensors;
using SafeCities.Modules.Shared.Outbox;
using static ArchUnitNET.Fluent.ArchRuleDefinition;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;

namespace SafeCities.Tests.Architecture;

/// <summary>Keeps docs/RECIPES.md honest: what it says about adding a reaction holds for every message in the code.</summary>
public sealed class OutboxConventionTests
{
    private static readonly System.Type[] ModuleTypes = typeof(SensorsModule).Assembly.GetTypes();

    /// <summary>
    /// An outbox message is a module's public contract (an event other modules may handle), or a step a module owes itself (internal:
    /// written and handled by the same module, e.g. Plates' <c>HotlistLookBackOwed</c>) — never another module's internal type.
    /// </summary>
    [Fact]
    public void Every_outbox_message_is_a_public_contract_or_its_modules_own_step_and_has_a_handler()
    {
        Assert.NotEmpty(OutboxMessageTypes.All);
        foreach (var message in OutboxMessageTypes.All.Values)
        {
            var handlers = ModuleTypes.Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(INotificationHandler<>)
                && i.GetGenericArguments()[0].IsAssignableFrom(message))).ToList();
            Assert.True(handlers.Count > 0, $"{message.Name} is written to an outbox but nothing handles it");
            if (message.IsPublic)
                Assert.True(message.Namespace!.EndsWith(".Contracts", StringComparison.Ordinal), $"{message.FullName} is public but not a module's contract");
            else
                Assert.All(handlers, h => Assert.True(Module(h) == Module(message),
                    $"{message.FullName} is {Module(message)}'s own step, but {h.FullName} of another module handles it"));
        }
    }

    /// <summary>"Plates" for <c>SafeCities.Modules.Plates.Features</c>.</summary>
    private static string Module(System.Type type) => type.Namespace!.Split('.')[2];

    [Fact]
    public void Sensors_reports_without_asking_any_module_back() =>
        Types().That().ResideInNamespaceMatching(@"^SafeCities\.Modules\.Sensors(\..*)?$")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^SafeCities\.Modules\.(Lighting|Video|Plates|Intelligence|Alerts)(\..*)?$"))
            .Because("Sensors writes what it detected to its outbox and returns; the reply that needs the incident is composed at the edge (SafeCities.Web/Composition)")
            .Check(new ArchLoader().LoadAssemblies(typeof(SensorsModule).Assembly).Build());
}
