using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace SafeCities.Modules.Video.Streaming;

/// <summary>Debian's ffmpeg pulling RTSP over TCP and writing a sliding HLS playlist (video only; segments are deleted as they fall out).</summary>
internal sealed class FfmpegTranscoder(IOptions<LiveStreamOptions> options, ILogger<FfmpegTranscoder> logger) : IStreamTranscoder
{
    public IRunningTranscode Start(string sourceUrl, string directory)
    {
        var o = options.Value;
        var start = new ProcessStartInfo(o.FfmpegPath)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        // An argument list, never a command line: the URL reaches ffmpeg as one argument whatever it contains.
        string[] input = sourceUrl.StartsWith("rtsp", StringComparison.OrdinalIgnoreCase) ? ["-rtsp_transport", "tcp"] : [];
        string[] codec = o.VideoCodec == "copy"
            ? ["-c:v", "copy"]
            : ["-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-g", (o.SegmentSeconds * 25).ToString(CultureInfo.InvariantCulture)];
        foreach (var a in (string[])["-nostdin", "-hide_banner", "-loglevel", "error", .. input, "-i", sourceUrl, "-an", .. codec,
                     "-f", "hls", "-hls_time", o.SegmentSeconds.ToString(CultureInfo.InvariantCulture), "-hls_list_size", "6",
                     "-hls_flags", "delete_segments+omit_endlist+temp_file",
                     "-hls_segment_filename", Path.Combine(directory, "seg%d.ts"), Path.Combine(directory, LiveStreamRelay.Playlist)])
            start.ArgumentList.Add(a);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{o.FfmpegPath} did not start.");
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
                logger.LogWarning("ffmpeg {Pid}: {Line}", process.Id, e.Data);
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        logger.LogInformation("Live relay started: ffmpeg {Pid} for {Directory}", process.Id, directory);
        return new Running(process);
    }

    public async Task<byte[]?> GrabFrameAsync(string sourceUrl, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(options.Value.FfmpegPath)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        string[] input = sourceUrl.StartsWith("rtsp", StringComparison.OrdinalIgnoreCase) ? ["-rtsp_transport", "tcp"] : [];
        foreach (var a in (string[])["-nostdin", "-hide_banner", "-loglevel", "error", .. input, "-i", sourceUrl, "-frames:v", "1",
                     "-vf", "scale=320:-2", "-q:v", "5", "-f", "image2pipe", "-c:v", "mjpeg", "pipe:1"])
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{options.Value.FfmpegPath} did not start.");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            using var jpeg = new MemoryStream();
            var errors = process.StandardError.ReadToEndAsync(limit.Token);
            await process.StandardOutput.BaseStream.CopyToAsync(jpeg, limit.Token);
            await process.WaitForExitAsync(limit.Token);
            if (process.ExitCode == 0 && jpeg.Length > 0)
                return jpeg.ToArray();
            logger.LogWarning("No snapshot of a camera stream: {Error}", (await errors).Trim());
            return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("No snapshot of a camera stream within {Seconds} s", timeout.TotalSeconds);
            return null;
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }

    private sealed class Running(Process process) : IRunningTranscode
    {
        public bool HasExited => process.HasExited;
        public int? ProcessId => process.Id;

        public void Dispose()
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // Exited between the check and the kill.
            }
            process.Dispose();
        }
    }
}
