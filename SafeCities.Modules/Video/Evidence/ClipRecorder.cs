using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SafeCities.Modules.Video.Streaming;

namespace SafeCities.Modules.Video.Evidence;

/// <param name="CoveredFrom">What the file covers by the node's clock: its measured duration, ending when the recording ended (never before it began).</param>
internal sealed record RecordedClip(string FileName, double DurationSeconds, long SizeBytes, string Sha256, DateTimeOffset CoveredFrom, DateTimeOffset CoveredTo);

/// <summary>Nothing usable was recorded; <see cref="Exception.Message"/> is the tool's reason (one line, bounded) for the clip row and the log.</summary>
internal sealed class ClipNotRecordedException(string reason) : Exception(reason);

/// <summary>
/// Records a camera's RTSP stream with Debian's ffmpeg (H.264 copied, no re-encoding, so the clip is the camera's own picture) into an MP4 in
/// the evidence directory, then measures it with ffprobe and hashes it. The file is written under a temporary name and renamed when complete.
/// </summary>
internal sealed class ClipRecorder(IOptions<LiveStreamOptions> live, IOptions<EvidenceOptions> evidence, IHostEnvironment environment,
    TimeProvider clock, ILogger<ClipRecorder> logger)
{
    public string Directory => evidence.Value.Directory is { Length: > 0 } d ? Path.GetFullPath(d) : Path.Combine(environment.ContentRootPath, "data", "evidence");

    /// <summary>The full path of a stored clip (names come from the database, never from a request).</summary>
    public string PathOf(string fileName) => Path.Combine(Directory, Path.GetFileName(fileName));

    /// <summary>
    /// Records <paramref name="seconds"/> of the live stream. A camera that answers but whose stream fails while connecting (within
    /// <see cref="ConnectFailure"/>: busy, dropping the connection, its first packets unusable) is tried once more a moment later — a camera
    /// answering several recorders at once did that to some of them — so the incident does not lose its video to one bad connection; a
    /// camera that cannot be reached at all, or a failure after that, stands.
    /// </summary>
    public async Task<RecordedClip> RecordAsync(Guid clipId, string streamUrl, int seconds, CancellationToken ct)
    {
        string[] input = streamUrl.StartsWith("rtsp", StringComparison.OrdinalIgnoreCase) ? ["-rtsp_transport", "tcp"] : [];
        string[] arguments = [.. input, "-i", streamUrl, "-t", seconds.ToString(CultureInfo.InvariantCulture), "-an", "-c:v", "copy"];
        Task<RecordedClip> Attempt() => WriteAsync(clipId, arguments, TimeSpan.FromSeconds(seconds + 30), ct);
        var started = clock.GetTimestamp();
        try
        {
            return await Attempt();
        }
        catch (ClipNotRecordedException first) when (clock.GetElapsedTime(started) < ConnectFailure && !Unreachable(first.Message))
        {
            logger.LogInformation("Recording clip {ClipId} again after the stream failed while connecting: {Reason}", clipId, first.Message);
            await Task.Delay(RetryAfter, clock, ct);
            return await Attempt();
        }
    }

    private static readonly TimeSpan ConnectFailure = TimeSpan.FromSeconds(3), RetryAfter = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The camera could not be reached at all (its name not resolved, nobody listening, no route): half a second later it will not be
    /// either, and a second attempt would only hold one of the recording slots (<c>MaxConcurrentRecordings</c>) longer.
    /// </summary>
    private static bool Unreachable(string reason) =>
        reason.Contains("Failed to resolve hostname", StringComparison.Ordinal) || reason.Contains("Connection refused", StringComparison.Ordinal)
        || reason.Contains("No route to host", StringComparison.Ordinal) || reason.Contains("Network is unreachable", StringComparison.Ordinal);

    /// <summary>
    /// Runs ffmpeg with <paramref name="inputAndCodec"/> into a partial MP4, then measures (ffprobe), renames and hashes it. The covered window
    /// is the measured duration ending when ffmpeg ended (node clock), never starting before ffmpeg was started.
    /// </summary>
    public async Task<RecordedClip> WriteAsync(Guid clipId, string[] inputAndCodec, TimeSpan timeout, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var fileName = $"{clipId:N}.mp4";
        var partial = Path.Combine(Directory, $"{clipId:N}.partial.mp4");
        var startedAt = clock.GetUtcNow();
        (int Code, string Output) recorded;
        try
        {
            recorded = await RunAsync(live.Value.FfmpegPath,
                ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", .. inputAndCodec, "-movflags", "+faststart", "-f", "mp4", partial], timeout, ct);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
        var endedAt = clock.GetUtcNow();
        var (code, errors) = recorded;
        if (code != 0 || !File.Exists(partial) || new FileInfo(partial).Length == 0)
        {
            File.Delete(partial);
            logger.LogWarning("No clip recorded from a camera stream: {Error}", errors);
            throw new ClipNotRecordedException(OneLine(errors is { Length: > 0 } ? errors : $"ffmpeg exited with {code}", 300));
        }
        var (probeCode, probe) = await RunAsync(evidence.Value.FfprobePath,
            ["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", partial], TimeSpan.FromSeconds(30), ct);
        var duration = probeCode == 0 && double.TryParse(probe.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;
        var path = Path.Combine(Directory, fileName);
        File.Move(partial, path, overwrite: false);
        await using var file = File.OpenRead(path);
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
        var coveredFrom = endedAt.AddSeconds(-duration);
        return new RecordedClip(fileName, duration, file.Length, hash, coveredFrom < startedAt ? startedAt : coveredFrom, endedAt);
    }

    /// <summary>Tool and device output is not ours to trust: one line, bounded.</summary>
    public static string OneLine(string text, int max)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }

    /// <summary>Runs a tool with an argument list (never a command line: a URL reaches it as one argument), answering its exit code and output.</summary>
    private static async Task<(int Code, string Output)> RunAsync(string tool, string[] arguments, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(limit.Token);
            var errors = process.StandardError.ReadToEndAsync(limit.Token);
            await process.WaitForExitAsync(limit.Token);
            return (process.ExitCode, process.ExitCode == 0 ? await output : await errors);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (-1, $"{Path.GetFileName(tool)} did not finish within {timeout.TotalSeconds:0} s");
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }
}
