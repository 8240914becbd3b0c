using SafeCities.Modules.Video.Domain;

namespace SafeCities.Modules.Video.Drivers;

/// <summary>How one camera's commands went: the last error if it failed after every attempt.</summary>
internal sealed record CameraCommandOutcome(CameraAssessment Assessment, bool Pointed, bool Bookmarked, int Attempts, string? Failure)
{
    public bool Succeeded => Failure is null;
}

/// <summary>
/// Sends the reaction's commands through the driver: nearest camera first, several cameras at a time, each command retried
/// with a short backoff and a timeout per attempt. A camera that keeps failing is reported, never thrown, and never holds
/// up the others.
/// </summary>
internal sealed class CameraCommander(ICameraDriver driver, IOptions<VideoOptions> options, TimeProvider clock, ILogger<CameraCommander> logger)
{
    /// <param name="bookmarked">Cameras whose recording already has this bookmark (an incident relocated): pointed if need be, not bookmarked again.</param>
    public async Task<IReadOnlyList<CameraCommandOutcome>> RunAsync(IReadOnlyList<CameraAssessment> work, DateTimeOffset from, DateTimeOffset to,
        string label, CancellationToken ct, IReadOnlySet<Guid>? bookmarked = null)
    {
        using var gate = new SemaphoreSlim(Math.Max(1, options.Value.MaxParallelCommands));
        // Started in order, so the nearest cameras are commanded first; each waits its turn at the gate.
        var running = work.Select(a => RunOneAsync(a, from, to, bookmarked?.Contains(a.Camera.Id) == true ? null : label, gate, ct)).ToList();
        return await Task.WhenAll(running);
    }

    /// <param name="label">The bookmark's label; null: no bookmark.</param>
    private async Task<CameraCommandOutcome> RunOneAsync(CameraAssessment a, DateTimeOffset from, DateTimeOffset to, string? label, SemaphoreSlim gate,
        CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            var attempts = 0;
            var pointed = false;
            if (a.Decision == CameraDecision.Turn)
            {
                var (ok, used, error) = await WithRetriesAsync(a.Camera, "point",
                    t => driver.PointAsync(a.Camera, a.BearingDegrees, a.TiltDegrees ?? 0, t), ct);
                attempts += used;
                if (!ok)
                    return new CameraCommandOutcome(a, false, false, attempts, $"point: {error}");
                pointed = true;
            }
            if (label is null)
                return new CameraCommandOutcome(a, pointed, false, attempts, null);
            var (bookmarked, bookmarkAttempts, bookmarkError) = await WithRetriesAsync(a.Camera, "bookmark",
                t => driver.BookmarkAsync(a.Camera, from, to, label, t), ct);
            attempts += bookmarkAttempts;
            return new CameraCommandOutcome(a, pointed, bookmarked, attempts, bookmarked ? null : $"bookmark: {bookmarkError}");
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<(bool Ok, int Attempts, string? Error)> WithRetriesAsync(Camera camera, string command, Func<CancellationToken, Task> send,
        CancellationToken ct)
    {
        var o = options.Value;
        var max = Math.Max(1, o.CommandAttempts);
        string? error = null;
        for (var attempt = 1; attempt <= max; attempt++)
        {
            if (attempt > 1)
                await Task.Delay(TimeSpan.FromMilliseconds(o.RetryDelayMilliseconds * Math.Pow(2, attempt - 2)), clock, ct);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(o.CommandTimeoutSeconds), clock);
            using var attemptToken = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            try
            {
                // WaitAsync also gives up on a driver that ignores its token.
                await send(attemptToken.Token).WaitAsync(attemptToken.Token);
                return (true, attempt, null);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                error = ex is OperationCanceledException ? $"no answer within {o.CommandTimeoutSeconds} s" : Clip(ex.Message, 200);
                logger.LogWarning("Camera {Camera} ({CameraId}) {Command} attempt {Attempt}/{Max} failed: {Error}", camera.Name, camera.Id, command,
                    attempt, max, error);
            }
        }
        return (false, max, error);
    }

    /// <summary>Device messages are not ours to trust: one line, bounded.</summary>
    private static string Clip(string text, int max)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }
}
