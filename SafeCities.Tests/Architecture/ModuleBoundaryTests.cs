using System.Reflection;
using System.Runtime.CompilerServices;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using FluentValidation;
using Mediator;
using SafeCities.Modules.Sensors;
using static ArchUnitNET.Fluent.ArchRuleDefinition;
using ArchModel = ArchUnitNET.Domain.Architecture;
using Assembly = System.Reflection.Assembly;

namespace SafeCities.Tests.Architecture;

/// <summary>The module boundaries the compiler cannot see inside one assembly.</summary>
public sealed class ModuleBoundaryTests
{
    private static readonly Assembly ModulesAssembly = typeof(SensorsModule).Assembly;
    private static readonly ArchModel Architecture = new ArchLoader().LoadAssemblies(ModulesAssembly, typeof(Program).Assembly).Build();

    public static readonly string[] Modules = ["Sensors", "Lighting", "Video", "Plates", "Intelligence", "Alerts", "Platform"];

    public static TheoryData<string, string> ModulePairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var a in Modules)
            foreach (var b in Modules.Where(b => b != a))
                data.Add(a, b);
        return data;
    }

    private static string Whole(string module) => $@"^SafeCities\.Modules\.{module}(\..*)?$";
    private static string Internals(string module) => $@"^SafeCities\.Modules\.{module}(\.(?!Contracts(\.|$)).*)?$";

    [Theory]
    [MemberData(nameof(ModulePairs))]
    public void A_module_uses_another_only_through_its_contracts(string module, string other) =>
        Types().That().ResideInNamespaceMatching(Whole(module))
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(Internals(other)))
            .Because($"{module} may use {other} only through SafeCities.Modules.{other}.Contracts")
            .Check(Architecture);

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Contracts_depend_on_nothing_of_their_module(string module) =>
        Types().That().ResideInNamespaceMatching($@"^SafeCities\.Modules\.{module}\.Contracts$")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(Internals(module)))
            .Check(Architecture);

    public static TheoryData<string> ModuleNames() => new(Modules);

    [Fact]
    public void Shared_depends_on_no_module() =>
        Types().That().ResideInNamespaceMatching(@"^SafeCities\.Modules\.Shared(\..*)?$")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching($@"^SafeCities\.Modules\.({string.Join('|', Modules)})(\..*)?$"))
            .Check(Architecture);

    [Fact]
    public void Web_uses_only_contracts_and_module_entry_points()
    {
        foreach (var module in Modules)
            Types().That().ResideInNamespaceMatching(@"^SafeCities\.Web(\..*)?$")
                .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(Internals(module))
                    .And().DoNotHaveNameEndingWith("Module").And().DoNotHaveNameEndingWith("Hub"))
                .Because($"the host reaches {module} through its Contracts and {module}Module only")
                .Check(Architecture);
    }

    [Fact]
    public void Only_contracts_entry_points_hubs_and_the_shared_kernel_are_public()
    {
        var offenders = ModulesAssembly.GetExportedTypes()
            .Where(t => t.Namespace!.StartsWith("SafeCities.Modules.", StringComparison.Ordinal))
            .Where(t => !t.Namespace!.StartsWith("SafeCities.Modules.Shared", StringComparison.Ordinal) && !t.Namespace.EndsWith(".Contracts", StringComparison.Ordinal))
            .Where(t => !t.Name.EndsWith("Module", StringComparison.Ordinal) && !t.Name.EndsWith("Hub", StringComparison.Ordinal)
                        && !(t.IsInterface && t.Name.EndsWith("Client", StringComparison.Ordinal)))
            .Select(t => t.FullName).ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Classes_are_sealed_unless_abstract_or_static()
    {
        var offenders = ModulesAssembly.GetTypes().Concat(typeof(Program).Assembly.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false, IsSealed: false } && t.Namespace?.StartsWith("SafeCities.", StringComparison.Ordinal) == true)
            .Where(t => !t.Namespace!.Contains(".Migrations", StringComparison.Ordinal) && t.GetCustomAttribute<CompilerGeneratedAttribute>() is null)
            .Select(t => t.FullName).ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Handlers_validators_and_events_follow_the_naming_conventions()
    {
        var types = ModulesAssembly.GetTypes().Where(t => t.Namespace?.StartsWith("SafeCities.Modules.", StringComparison.Ordinal) == true).ToList();
        bool Implements(System.Type t, System.Type open) => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == open);
        var handlers = types.Where(t => Implements(t, typeof(ICommandHandler<,>)) || Implements(t, typeof(IQueryHandler<,>)) || Implements(t, typeof(INotificationHandler<>)));
        Assert.All(handlers, t => Assert.EndsWith("Handler", t.Name));
        Assert.All(types.Where(t => Implements(t, typeof(IValidator<>)) && !t.IsAbstract), t => Assert.EndsWith("Validator", t.Name));
        Assert.All(types.Where(t => typeof(INotification).IsAssignableFrom(t) && t.Namespace!.EndsWith(".Contracts", StringComparison.Ordinal)),
            t => Assert.EndsWith("Event", t.Name));
        Assert.All(types.Where(t => typeof(IBaseCommand).IsAssignableFrom(t) && t.IsClass), t => Assert.EndsWith("Command", t.Name));
        Assert.All(types.Where(t => typeof(IBaseQuery).IsAssignableFrom(t) && t.IsClass), t => Assert.EndsWith("Query", t.Name));
    }
}
