using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Video.Contracts;
using SafeCities.Modules.Video.Data;
using SafeCities.Modules.Video.Domain;

namespace SafeCities.Modules.Video.Evidence;

/// <summary>
/// Records the bookmark window of each camera an incident bookmarks, automatically (ADR 0024). The camera reaction writes a clip row in
/// <c>recording</c> with its reaction and hands the id over here after commit; this node records it through the camera's recording system
/// (<see cref="RecordingSystems"/>), at most <c>MaxConcurrentRecordings</c> at once (one over the cap fails at once, saying so; a recorder's
/// wait for the window to pass takes no slot), and saves it as evidence by <c>system</c> with its SHA-256, the window it covers, the audit
/// record and a timeline report, or marks it failed with the reason. Recordings live in this process only: a stop fails the running ones,
/// and a restart does not resume them (rows left in <c>recording</c> by a crash are failed by the sweep once their window is long over).
/// </summary>
internal sealed class AutomaticClips(IServiceScopeFactory scopes, RecordingSystems systems, IOptions<EvidenceOptions> options, TimeProvider clock,
    ILogger<AutomaticClips> logger) : BackgroundService
{
    public const string Interrupted = "interrupted: the app stopped while recording (recordings do not survive a restart)";
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);
    private readonly Channel<Guid> queue = Channel.CreateUnbounded<Guid>();
    private readonly ConcurrentDictionary<Guid, Task> running = new();

    /// <summary>Clip rows (status <c>recording</c>, committed) to record now.</summary>
    public void Enqueue(IEnumerable<Guid> clipIds)
    {
        foreach (var id in clipIds)
            queue.Writer.TryWrite(id);
    }

    private int recording;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sweeping = SweepAsync(stoppingToken);
        try
        {
            await foreach (var id in queue.Reader.ReadAllAsync(stoppingToken))
            {
                // Listed before it starts, so that its removal when done can never come first.
                var listed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                running[id] = Task.Run(async () =>
                {
                    await listed.Task;
                    try
                    {
                        await RecordAsync(id, stoppingToken);
                    }
                    finally
                    {
                        running.TryRemove(id, out _);
                    }
                }, CancellationToken.None);
                listed.SetResult();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(running.Values);
        await sweeping;
    }

    private async Task RecordAsync(Guid id, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<VideoDbContext>();
            var clip = await db.EvidenceClips.SingleOrDefaultAsync(c => c.Id == id && c.Status == EvidenceClipStatus.Recording, ct);
            if (clip is null)
                return;
            var camera = await db.Cameras.AsNoTracking().SingleAsync(c => c.Id == clip.CameraId, ct);
            var system = systems.For(camera) ?? throw new ClipNotRecordedException("the camera has neither a recorder nor an RTSP stream");
            var (from, to) = (clip.BookmarkFrom!.Value, clip.BookmarkTo!.Value);
            // A recorder exports once it holds the whole window; waiting for that holds no recording slot.
            if (system.ReadyAt(from, to) - clock.GetUtcNow() is { Ticks: > 0 } wait)
                await Task.Delay(wait, clock, ct);
            var max = Math.Max(1, options.Value.MaxConcurrentRecordings);
            if (Interlocked.Increment(ref recording) > max)
            {
                Interlocked.Decrement(ref recording);
                throw new ClipNotRecordedException($"not recorded: {max} recordings were already running (Video:Evidence:MaxConcurrentRecordings)");
            }
            RecordedClip file;
            try
            {
                file = await system.ExportAsync(id, camera, from, to, Math.Max(1, options.Value.MaxAutoClipSeconds), ct);
            }
            finally
            {
                Interlocked.Decrement(ref recording);
            }
            var occurredAt = await db.IncidentReactions.Where(r => r.IncidentId == clip.IncidentId).Select(r => (DateTimeOffset?)r.OccurredAt)
                .SingleOrDefaultAsync(ct);
            (clip.FileName, clip.Sha256, clip.SizeBytes, clip.DurationSeconds) = (file.FileName, file.Sha256, file.SizeBytes, Math.Round(file.DurationSeconds, 3));
            (clip.CoveredFrom, clip.CoveredTo, clip.RecordedFrom, clip.Source) = (file.CoveredFrom, file.CoveredTo, file.CoveredFrom, system.Name);
            (clip.Status, clip.SavedAt) = (EvidenceClipStatus.Saved, clock.GetUtcNow());
            try
            {
                await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
                var reportId = Guid.CreateVersion7();
                db.AddOutboxMessage(new IncidentReactionReportedEvent(reportId, clip.IncidentId, "Video", "ClipRecorded", clip.SavedAt,
                    Features.ReactionText.Line(Report(clip, occurredAt))), reportId);
                await db.SaveChangesAsync(CancellationToken.None);
                await db.AuditAsync(EvidenceClipSavers.System, "Video", "clip.saved", null,
                    new { clip.Id, clip.IncidentId, clip.CameraId, clip.DurationSeconds, clip.SizeBytes, clip.Sha256, clip.CoveredFrom, clip.CoveredTo, clip.Source },
                    clip.SavedAt, CancellationToken.None);
                await tx.CommitAsync(CancellationToken.None);
            }
            catch
            {
                File.Delete(scope.ServiceProvider.GetRequiredService<ClipRecorder>().PathOf(file.FileName));
                throw;
            }
            logger.LogInformation("Clip {ClipId} of camera {CameraId} for incident {IncidentId} recorded automatically: {Seconds:0.0} s ({Source})",
                id, clip.CameraId, clip.IncidentId, clip.DurationSeconds, clip.Source);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await FailAsync(id, Interrupted, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Automatic clip {ClipId} failed", id);
            await FailAsync(id, ex is ClipNotRecordedException ? ex.Message : $"not recorded: {ClipRecorder.OneLine(ex.Message, 300)}", CancellationToken.None);
        }
    }

    /// <summary>"Clip of Cam 1 recorded automatically (live-stream): covers from 2 s after to 6 s after the incident (4.0 s); bookmark from 30 s
    /// before to 300 s after; SHA-256 ab12…". Times relative to the incident, so the timeline shows no second clock.</summary>
    private static string Report(EvidenceClip clip, DateTimeOffset? occurredAt)
    {
        var zero = occurredAt ?? clip.BookmarkFrom!.Value;
        return $"Clip of {clip.CameraName} recorded automatically ({clip.Source}): covers from {Relative(clip.CoveredFrom!.Value, zero)} to "
            + $"{Relative(clip.CoveredTo!.Value, zero)} the incident ({clip.DurationSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s); bookmark from "
            + $"{Relative(clip.BookmarkFrom!.Value, zero)} to {Relative(clip.BookmarkTo!.Value, zero)}; SHA-256 {clip.Sha256![..16]}…";
    }

    private static string Relative(DateTimeOffset at, DateTimeOffset zero)
    {
        var seconds = (at - zero).TotalSeconds;
        return $"{Math.Abs(seconds).ToString("0", CultureInfo.InvariantCulture)} s {(seconds < 0 ? "before" : "after")}";
    }

    private async Task FailAsync(Guid id, string reason, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<VideoDbContext>();
            var now = clock.GetUtcNow();
            var line = ClipRecorder.OneLine(reason, 480);
            await db.EvidenceClips.Where(c => c.Id == id && c.Status == EvidenceClipStatus.Recording)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, EvidenceClipStatus.Failed).SetProperty(c => c.Failure, line).SetProperty(c => c.SavedAt, now), ct);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not mark automatic clip {ClipId} as failed ({Reason})", id, reason);
        }
    }

    /// <summary>Rows left in <c>recording</c> by a node that stopped: failed once their window and the longest clip are long over.</summary>
    private async Task SweepAsync(CancellationToken ct)
    {
        try
        {
            do
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<VideoDbContext>();
                    var now = clock.GetUtcNow();
                    var windowOver = now.AddMinutes(-5);
                    var longestOver = now.AddSeconds(-(options.Value.MaxAutoClipSeconds + 300));
                    var mine = running.Keys.ToList();
                    await db.EvidenceClips.Where(c => c.Status == EvidenceClipStatus.Recording && c.BookmarkTo < windowOver && c.SavedAt < longestOver
                            && !mine.Contains(c.Id))
                        .ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, EvidenceClipStatus.Failed).SetProperty(c => c.Failure, Interrupted)
                            .SetProperty(c => c.SavedAt, now), ct);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "The sweep of interrupted automatic clips failed; it runs again in a minute");
                }
                await Task.Delay(SweepEvery, clock, ct);
            }
            while (!ct.IsCancellationRequested);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
