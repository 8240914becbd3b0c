using System.Diagnostics;

namespace SafeCities.Modules.Shared.Messaging;

/// <summary>Logs, times and traces every command and query (one place for all of them; see <see cref="MessagingTelemetry"/>).</summary>
internal sealed class LoggingBehavior<TMessage, TResponse>(ILogger<LoggingBehavior<TMessage, TResponse>> logger, MessagingTelemetry telemetry)
    : IPipelineBehavior<TMessage, TResponse> where TMessage : notnull, IMessage
{
    private static readonly string Name = typeof(TMessage).Name;

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = MessagingTelemetry.Source.StartActivity(Name);
        var outcome = "error";
        try
        {
            var response = await next(message, cancellationToken);
            outcome = "ok";
            logger.LogDebug("{Message} handled in {Elapsed:0.0} ms", Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (ValidationException ex)
        {
            outcome = "invalid";
            logger.LogInformation("{Message} rejected: {Errors}", Name, string.Join("; ", ex.Errors.Select(e => e.ErrorMessage)));
            throw;
        }
        catch (DomainRuleException)
        {
            outcome = "refused";
            throw;
        }
        catch (OperationCanceledException)
        {
            outcome = "cancelled";
            throw;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            logger.LogError(ex, "{Message} failed after {Elapsed:0.0} ms", Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
        finally
        {
            activity?.SetTag("safecities.outcome", outcome);
            telemetry.Record(Name, outcome, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}
