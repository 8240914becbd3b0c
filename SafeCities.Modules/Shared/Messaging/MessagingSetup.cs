using SafeCities.Modules.Shared.Observability;
using SafeCities.Modules.Shared.Purposes;

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
            // The purpose gate runs after validation: a look-up that needs a commander's approval is queued, not run (Shared/Purposes).
            options.PipelineBehaviors = [typeof(LoggingBehavior<,>), typeof(ValidationBehavior<,>), typeof(PurposeGateBehavior<,>)];
        });
        services.AddMetricsSource<MessagingTelemetry>();
        return services.AddValidatorsFromAssembly(typeof(MessagingSetup).Assembly, includeInternalTypes: true);
    }
}
