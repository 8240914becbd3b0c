using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hangfire.Common;
using Hangfire.Server;
using SafeCities.Modules.Shared.Observability;

namespace SafeCities.Web.Platform.Observability;

/// <summary>
/// Hangfire has no OpenTelemetry instrumentation package here, so this server filter measures every job this node performs:
/// <c>safecities.jobs.duration</c> tagged with the job (<c>Type.Method</c>) and its outcome (<c>succeeded</c>, <c>failed</c>,
/// <c>cancelled</c>), and a span per job when tracing is on (the job's mediator calls and SQL nest under it).
/// </summary>
internal sealed class JobTelemetry : IServerFilter, IMetricsSource
{
    public static readonly ActivitySource Source = new("SafeCities.Jobs");

    private const string StartedKey = "safecities:started";
    private const string ActivityKey = "safecities:activity";
    private readonly Histogram<double> duration;

    public JobTelemetry(IMeterFactory meters) =>
        duration = meters.Create("SafeCities.Jobs").CreateHistogram("safecities.jobs.duration", "s",
            "Time a background job took on this node; outcome=failed counts the failures (Hangfire retries them).", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = Telemetry.SecondsBuckets });

    public void OnPerforming(PerformingContext context)
    {
        context.Items[StartedKey] = Stopwatch.GetTimestamp();
        if (Source.StartActivity($"job {Name(context.BackgroundJob.Job)}") is { } activity)
        {
            activity.SetTag("hangfire.job_id", context.BackgroundJob.Id);
            context.Items[ActivityKey] = activity;
        }
    }

    public void OnPerformed(PerformedContext context)
    {
        if (!context.Items.TryGetValue(StartedKey, out var value) || value is not long started)
            return;
        var outcome = context.Exception is null ? "succeeded" : context.Canceled ? "cancelled" : "failed";
        duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("job", Name(context.BackgroundJob.Job)), new KeyValuePair<string, object?>("outcome", outcome));
        if (context.Items.TryGetValue(ActivityKey, out var a) && a is Activity activity)
        {
            if (context.Exception is { } ex)
                activity.SetStatus(ActivityStatusCode.Error, ex.GetBaseException().GetType().Name);
            activity.Dispose();
        }
    }

    private static string Name(Job job) => $"{job.Type.Name}.{job.Method.Name}";

    /// <summary>Adds this filter to every job of the host that registered it.</summary>
    internal sealed class Provider(JobTelemetry filter) : IJobFilterProvider
    {
        private readonly JobFilter[] filters = [new JobFilter(filter, JobFilterScope.Global, null)];

        public IEnumerable<JobFilter> GetFilters(Job job) => filters;
    }
}
