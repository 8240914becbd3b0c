using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using Hangfire;
using SafeCities.Modules.Sensors;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace SafeCities.Tests.Architecture;

/// <summary>Recurring jobs are stored one way: modules declare them (AddRecurringJob), the registrar stores them after start-up.</summary>
public sealed class RecurringJobRegistrationTests
{
    private static readonly ArchUnitNET.Domain.Architecture Architecture =
        new ArchLoader().LoadAssemblies(typeof(SensorsModule).Assembly, typeof(Program).Assembly, typeof(IRecurringJobManager).Assembly).Build();

    [Fact]
    public void Only_the_registrar_stores_recurring_jobs() =>
        Types().That().ResideInNamespaceMatching(@"^SafeCities\.").And().DoNotResideInNamespace("SafeCities.Modules.Shared.Jobs")
            .Should().NotDependOnAny(typeof(IRecurringJobManager), typeof(RecurringJob), typeof(RecurringJobManagerExtensions))
            .Because("AddOrUpdate on the start-up path waits on a crashed node's lock rows and stops the app from starting (issue 9): declare the job with AddRecurringJob")
            .Check(Architecture);
}
