using Microsoft.Extensions.Configuration;
using SafeCities.Modules.Shared.Jobs;

namespace SafeCities.Modules.Alerts.Subscribers;

/// <summary>Public-alert subscribers (ADR 0040): options, the channel drivers, the delivery worker and the retention job.</summary>
internal static class SubscribersSetup
{
    public static IServiceCollection AddAlertSubscribers(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<SubscribersOptions>(config.GetSection(SubscribersOptions.Section));
        services.AddSingleton<SubscriberDeliverySignal>();
        services.AddSingleton<SubscriberLinks>();
        services.AddScoped<IAlertChannelDriver, SmtpAlertDriver>();
        services.AddScoped<IAlertChannelDriver, SimulatedSmsDriver>();
        services.AddScoped<IAlertChannelDriver, SimulatedPushDriver>();
        services.AddScoped<SubscriberDeliverySender>();
        services.AddHostedService<SubscriberDeliveryWorker>();
        services.AddScoped<PurgeAlertSubscribersJob>();
        services.AddRecurringJob<PurgeAlertSubscribersJob>("alerts:purge-alert-subscribers", j => j.RunAsync(CancellationToken.None), "37 3 * * *");
        return services;
    }
}
