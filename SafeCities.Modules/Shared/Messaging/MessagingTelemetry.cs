using System.Diagnostics;
using System.Diagnostics.Metrics;
using SafeCities.Modules.Shared.Observability;

namespace SafeCities.Modules.Shared.Messaging;

/// <summary>
/// What the pipeline measures for every command and query: a span named after the message (only when tracing is on; otherwise
/// <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null at no cost) and <c>safecities.messaging.duration</c>,
/// tagged with the message's type name and its outcome (<c>ok</c>, <c>invalid</c>, <c>refused</c>, <c>cancelled</c>, <c>error</c>).
/// </summary>
internal sealed class MessagingTelemetry : IMetricsSource
{
    public static readonly ActivitySource Source = new("SafeCities.Messaging");

    private readonly Histogram<double> duration;

    public MessagingTelemetry(IMeterFactory meters) =>
        duration = meters.Create("SafeCities.Messaging").CreateHistogram("safecities.messaging.duration", "s",
            "Time to handle a command or query through the mediator pipeline (validation included).", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = Telemetry.SecondsBuckets });

    public void Record(string message, string outcome, double seconds) =>
        duration.Record(seconds, new KeyValuePair<string, object?>("message", message), new KeyValuePair<string, object?>("outcome", outcome));
}
