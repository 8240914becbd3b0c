using System.Linq.Expressions;
using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace SafeCities.Modules.Shared.Jobs;

/// <summary>A recurring Hangfire job that a module declares in its <c>AddXModule</c> (id <c>"&lt;module&gt;:&lt;verb&gt;"</c>, cron in UTC).</summary>
public sealed record RecurringJobDefinition(string Id, Job Job, string Cron);

public static class RecurringJobs
{
    /// <summary>Declares a recurring job; <see cref="RecurringJobRegistrar"/> stores every declared job in Hangfire once the app runs.</summary>
    public static IServiceCollection AddRecurringJob<TJob>(this IServiceCollection services, string id, Expression<Func<TJob, Task>> run, string cron)
    {
        services.AddSingleton(new RecurringJobDefinition(id, Job.FromExpression(run), cron));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RecurringJobRegistrar>());
        return services;
    }
}

/// <summary>
/// Stores the declared recurring jobs in Hangfire in the background, retrying with back-off until each one is stored. Start-up never
/// waits for it: after a crash Hangfire's lock rows stay behind (<c>hangfire.lock</c>), and <c>AddOrUpdate</c> waits on them and throws
/// until they are old enough to be taken over (PostgreSqlStorageOptions.DistributedLockTimeout, see docs/adr/0006-recurring-jobs-at-start-up.md).
/// Meanwhile the app serves requests; the jobs already stored keep running.
/// </summary>
internal sealed class RecurringJobRegistrar(IServiceProvider services, IEnumerable<RecurringJobDefinition> definitions, TimeProvider clock,
    ILogger<RecurringJobRegistrar> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = definitions.ToList();
        var retry = FirstRetry;
        for (var attempt = 1; ; attempt++)
        {
            // Each job on its own thread: a stale lock on one (up to Hangfire's 15 s wait per attempt) does not hold up the others.
            var stored = await Task.WhenAll(pending.Select(job => TryStoreAsync(job, attempt, retry, stoppingToken)));
            pending = [.. pending.Where((_, i) => !stored[i])];
            if (pending.Count == 0)
            {
                logger.LogInformation("Recurring jobs stored: {JobIds}", string.Join(", ", definitions.Select(d => d.Id)));
                return;
            }
            await Task.Delay(retry, clock, stoppingToken);
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
        }
    }

    private async Task<bool> TryStoreAsync(RecurringJobDefinition job, int attempt, TimeSpan retry, CancellationToken stoppingToken)
    {
        try
        {
            // Synchronous, and it may sleep on a lock row for a while: on a thread of its own, and not waited for when the app stops.
            await Task.Factory.StartNew(() => services.GetRequiredService<IRecurringJobManager>()
                        .AddOrUpdate(job.Id, job.Job, job.Cron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc }),
                    CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
                .WaitAsync(stoppingToken);
            return true;
        }
        catch (DistributedLockTimeoutException e)
        {
            logger.LogWarning("Recurring job {JobId} not stored yet (attempt {Attempt}): {Reason}; retrying in {Seconds} s", job.Id, attempt, e.Message, retry.TotalSeconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Recurring job {JobId} not stored yet (attempt {Attempt}); retrying in {Seconds} s", job.Id, attempt, retry.TotalSeconds);
        }
        return false;
    }
}
