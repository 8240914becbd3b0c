using Hangfire;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using SafeCities.Modules.Shared.Jobs;
using SafeCities.Modules.Shared.Observability;

namespace SafeCities.Modules.Shared.Outbox;

/// <summary>A module context with an outbox table.</summary>
internal sealed record OutboxSource(Type ContextType, string Schema)
{
    public IQueryable<OutboxMessage> Messages(IServiceProvider services) => ((DbContext)services.GetRequiredService(ContextType)).Set<OutboxMessage>();
}

public static class OutboxSetup
{
    /// <summary>
    /// Gives a module context (registered with AddModuleDbContext, its model calling <see cref="Outbox.HasOutbox"/>) its outbox:
    /// the live dispatch, the sweep and the lag gauges (<c>outbox</c> label = the schema) cover it from now on.
    /// </summary>
    public static IServiceCollection AddOutbox<TContext>(this IServiceCollection services, string schema) where TContext : DbContext
    {
        services.AddSingleton(new OutboxSource(typeof(TContext), schema));
        services.ConfigureDbContext<TContext>((sp, options) => options.AddInterceptors(sp.GetRequiredService<OutboxInterceptor>()),
            ServiceLifetime.Singleton); // as the context's options (AddModuleDbContext)
        services.AddOutboxLag(schema, $"{schema}.{Outbox.Table}", "created_at", "dispatched_at IS NULL AND failed_at IS NULL");
        if (services.Any(d => d.ServiceType == typeof(OutboxSweepJob)))
            return services;
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section);
        services.TryAddSingleton<OutboxDispatcher>();
        services.TryAddSingleton<OutboxInterceptor>();
        services.TryAddSingleton<OutboxSqlWriter>();
        services.AddScoped<OutboxDelivery>();
        services.AddScoped<OutboxSweepJob>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OutboxWorkers>());
        return services.AddRecurringJob<OutboxSweepJob>(OutboxSweepJob.Id, j => j.RunAsync(CancellationToken.None), Cron.Minutely());
    }
}
