using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SafeCities.Modules.Shared.Observability;

namespace SafeCities.Web.Platform.Observability;

/// <summary>
/// OpenTelemetry metrics and traces (docs/adr/0011-observability.md, README "Observability"). Metrics are collected only when they are
/// exported: to the Prometheus scrape endpoint on <c>Metrics:Port</c> (its own listener, loopback unless <c>Metrics:Address</c>
/// says otherwise; never on the app's port) and/or to an OTLP collector at <c>OpenTelemetry:OtlpEndpoint</c>. Traces are
/// recorded only for the OTLP collector: with no collector no span is ever started on a hot path.
/// </summary>
internal static class ObservabilitySetup
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddSafeCitiesObservability(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var services = builder.Services;
        var metricsPort = config.GetValue<int?>("Metrics:Port");
        var metricsAddress = config["Metrics:Address"] is { Length: > 0 } address ? address : "127.0.0.1";
        var otlp = config["OpenTelemetry:OtlpEndpoint"] is { Length: > 0 } endpoint ? new Uri(endpoint) : null;

        services.AddMetricsSource<JobTelemetry>();
        // Per host, not Hangfire's static GlobalJobFilters: the server takes its filters from this service (Hangfire.NetCore,
        // AddHangfireServer), and two hosts in one process (the tests) must not count each other's jobs.
        services.Replace(ServiceDescriptor.Singleton<IJobFilterProvider>(sp =>
        {
            sp.GetRequiredService<IGlobalConfiguration>();   // Hangfire's own configuration first, as its registration does
            return new JobFilterProviderCollection(JobFilterProviders.Providers, new JobTelemetry.Provider(sp.GetRequiredService<JobTelemetry>()));
        }));

        if (metricsPort is not > 0 && otlp is null)
            return builder;
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("safecities", serviceVersion: typeof(ObservabilitySetup).Assembly.GetName().Version?.ToString()));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(Telemetry.Pattern)
                .AddAspNetCoreInstrumentation()                       // http.server.*, Kestrel connections
                .AddMeter("Microsoft.AspNetCore.Http.Connections")    // SignalR: signalr.server.active_connections, connection duration
                .AddHttpClientInstrumentation()
                .AddNpgsqlInstrumentation()                           // the data source's pool and command durations
                .AddMeter("System.Runtime");                          // GC, heap, thread pool
            if (metricsPort is > 0)
                metrics.AddPrometheusHttpListener(o =>
                {
                    o.Host = metricsAddress;
                    o.Port = metricsPort.Value;
                    o.ScrapeEndpointPath = MetricsPath;
                });
            if (otlp is not null)
                metrics.AddOtlpExporter(o => o.Endpoint = otlp);
        });
        if (otlp is not null)
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource(Telemetry.Pattern)
                .AddOtlpExporter(o => (o.Endpoint, o.Protocol) = (otlp, OtlpExportProtocol.Grpc)));
        return builder;
    }
}
