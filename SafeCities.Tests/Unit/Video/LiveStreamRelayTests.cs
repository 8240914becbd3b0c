using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafeCities.Modules.Video.Streaming;

namespace SafeCities.Tests.Unit.Video;

/// <summary>
/// The relay against a camera that is slow to start (a transcoder double that writes its first playlist and segment only after a
/// while, as ffmpeg does on a loaded machine): the first viewer's wait counts as watching.
/// </summary>
public sealed class LiveStreamRelayTests
{
    [Fact]
    public async Task A_camera_slower_to_start_than_the_idle_time_is_not_stopped_while_its_first_viewer_waits()
    {
        var root = Directory.CreateTempSubdirectory("relay-test").FullName;
        var options = Options.Create(new LiveStreamOptions { Directory = root, IdleStopSeconds = 1, StartTimeoutSeconds = 15 });
        var transcoder = new SlowStart(TimeSpan.FromSeconds(3));
        using var relay = new LiveStreamRelay(transcoder, options, TimeProvider.System, NullLogger<LiveStreamRelay>.Instance);
        await relay.StartAsync(CancellationToken.None);
        try
        {
            var camera = Guid.NewGuid();
            var playlist = await relay.OpenPlaylistAsync(camera, "rtsp://camera.test/slow", CancellationToken.None);

            Assert.NotNull(playlist); // the idle check (every second, 1 s idle) ran three times during the wait
            Assert.NotNull(relay.FilePath(camera, "seg0.ts"));
            Assert.Equal(1, transcoder.Started);
            Assert.False(transcoder.Last!.HasExited);

            // Nobody asks any more: stopped after the idle time, as before.
            for (var i = 0; i < 50 && !transcoder.Last.HasExited; i++)
                await Task.Delay(100);
            Assert.True(transcoder.Last.HasExited);
            Assert.Null(relay.FilePath(camera, "seg0.ts"));
        }
        finally
        {
            await relay.StopAsync(CancellationToken.None);
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed class SlowStart(TimeSpan delay) : IStreamTranscoder
    {
        public int Started;
        public Running? Last;

        public IRunningTranscode Start(string sourceUrl, string directory)
        {
            Started++;
            return Last = new Running(directory, delay);
        }

        public Task<byte[]?> GrabFrameAsync(string sourceUrl, TimeSpan timeout, CancellationToken ct) => Task.FromResult<byte[]?>(null);
    }

    private sealed class Running : IRunningTranscode
    {
        private readonly CancellationTokenSource stop = new();

        public Running(string directory, TimeSpan delay) => _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(delay, stop.Token);
                await File.WriteAllBytesAsync(Path.Combine(directory, "seg0.ts"), new byte[188]);
                await File.WriteAllTextAsync(Path.Combine(directory, LiveStreamRelay.Playlist), "#EXTM3U\n#EXTINF:2.0,\nseg0.ts\n");
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // Stopped before it started (the relay deleted its folder).
            }
        });

        public bool HasExited => stop.IsCancellationRequested;
        public int? ProcessId => null;
        public void Dispose() => stop.Cancel();
    }
}
