using SafeCities.Modules.Shared.Observability;

namespace SafeCities.Modules.Shared.Messaging;

public static class MessagingSetup
{
    /// <summary>The in-process mediator every module talks through, with logging and validation in the pipeline.</summary>
    public static IServiceCollection AddSafeCitiesMessaging(this IServiceCollection services)
    {
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.GenerateTypesAsInternal = true;
            options.NotificationPublisherType = typeof(RunEveryHandlerPublisher);
            options.PipelineBehaviors = [typeof(LoggingBehavior<,>), typeof(ValidationBehavior<,>)];
        });
        services.AddMetricsSource<MessagingTelemetry>();
        return services.AddValidatorsFromAssembly(typeof(MessagingSetup).Assembly, includeInternalTypes: true);
    }
}
