using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace SafeCities.Modules.Shared.Observability;

/// <summary>
/// Names shared by every meter and activity source of the app (README, Observability). Instruments are created from the host's
/// <see cref="System.Diagnostics.Metrics.IMeterFactory"/>, so two app hosts in one process (the tests) never mix their numbers.
/// </summary>
public static class Telemetry
{
    /// <summary>Every meter and activity source of the app is named <c>SafeCities.&lt;area&gt;</c>; exporters subscribe to this pattern.</summary>
    public const string Pattern = "SafeCities.*";

    /// <summary>Histogram buckets for durations in seconds: those ASP.NET Core uses for <c>http.server.request.duration</c>, plus 30 s and 60 s for jobs.</summary>
    public static readonly IReadOnlyList<double> SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60];

    /// <summary>
    /// Registers <typeparamref name="T"/> as a singleton that is created when the host starts, so its instruments (observable gauges
    /// above all, which nothing else would ever resolve) are exported from the first scrape on, at zero until something happens.
    /// </summary>
    public static IServiceCollection AddMetricsSource<T>(this IServiceCollection services) where T : class, IMetricsSource
    {
        services.AddMetrics();
        services.TryAddSingleton<T>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMetricsSource, T>(sp => sp.GetRequiredService<T>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MetricsSourcesAtStart>());
        return services;
    }
}

/// <summary>A singleton whose constructor creates instruments (see <see cref="Telemetry.AddMetricsSource{T}"/>).</summary>
public interface IMetricsSource;

internal sealed class MetricsSourcesAtStart(IEnumerable<IMetricsSource> sources) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = sources.Count();   // resolving them is the point: their constructors create the instruments
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
