using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SafeCities.Modules.Video.Streaming;

namespace SafeCities.Tests.Unit.Video;

/// <summary>
/// The relay against a camera that is slow to start (a transcoder double that writes its first playlist and segment only when the test
/// says so, as ffmpeg does late on a loaded machine), on a fake clock and with the waiting request's polls held, so that a loaded
/// machine is not left to chance: the first viewer's wait counts as watching however long it lasts and however late it polls, and once
/// nobody asks the relay stops after the idle time.
/// </summary>
public sealed class LiveStreamRelayTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_camera_slower_to_start_than_the_idle_time_is_not_stopped_while_its_first_viewer_waits()
    {
        var root = Directory.CreateTempSubdirectory("relay-test").FullName;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new LiveStreamOptions { Directory = root, IdleStopSeconds = 1, StartTimeoutSeconds = 60 });
        var transcoder = new Controlled();
        using var relay = new LiveStreamRelay(transcoder, options, clock, NullLogger<LiveStreamRelay>.Instance);
        await relay.StartAsync(CancellationToken.None);
        try
        {
            // Cameras that come up at once and are then not asked for again: witnesses that the idle check ran. The first one also waits
            // for the relay's timer to exist (BackgroundService starts ExecuteAsync on the thread pool).
            transcoder.PublishAtStart = true;
            var first = await OpenQuickAsync(relay, transcoder);
            await Until(() =>
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                return first.HasExited;
            });
            var quick = await OpenQuickAsync(relay, transcoder);

            transcoder.PublishAtStart = false;
            var slow = Guid.NewGuid();
            // The waiting request's continuations are held, as on a machine too loaded to run them: its polls do not happen.
            var held = new HeldContext();
            var outer = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(held);
            Task<string?> waiting;
            try
            {
                waiting = relay.OpenPlaylistAsync(slow, "rtsp://camera.test/slow", CancellationToken.None);
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(outer);
            }
            var slowRun = transcoder.Last!;

            // Five seconds pass and the request has not polled once: the idle check stops the quick camera ...
            clock.Advance(TimeSpan.FromSeconds(5));
            await Until(() => quick.HasExited);
            // ... but not the slow one, whose first viewer is still waiting.
            Assert.False(slowRun.HasExited);
            Assert.False(waiting.IsCompleted);

            slowRun.Publish();
            await Until(() =>
            {
                held.RunPending();
                clock.Advance(TimeSpan.FromMilliseconds(100));
                return waiting.IsCompleted;
            });
            Assert.NotNull(await waiting);
            Assert.NotNull(relay.FilePath(slow, "seg0.ts"));
            Assert.Equal(3, transcoder.Started);

            // Nobody asks any more: stopped after the idle time, and its files are no longer served.
            clock.Advance(TimeSpan.FromSeconds(2));
            await Until(() => slowRun.HasExited);
            Assert.Null(relay.FilePath(slow, "seg0.ts"));
        }
        finally
        {
            await relay.StopAsync(CancellationToken.None);
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<Running> OpenQuickAsync(LiveStreamRelay relay, Controlled transcoder)
    {
        Assert.NotNull(await relay.OpenPlaylistAsync(Guid.NewGuid(), "rtsp://camera.test/quick", CancellationToken.None));
        return transcoder.Last!;
    }

    private static Task Until(Func<bool> condition) => Poll.UntilAsync(condition, Patience, "the relay getting there (real time)", 20);

    /// <summary>Keeps what is posted to it until the test runs it.</summary>
    private sealed class HeldContext : SynchronizationContext
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(SendOrPostCallback, object?)> pending = new();

        public override void Post(SendOrPostCallback d, object? state) => pending.Enqueue((d, state));

        public void RunPending()
        {
            var outer = Current;
            SetSynchronizationContext(this);
            try
            {
                while (pending.TryDequeue(out var work))
                    work.Item1(work.Item2);
            }
            finally
            {
                SetSynchronizationContext(outer);
            }
        }
    }

    private sealed class Controlled : IStreamTranscoder
    {
        public bool PublishAtStart;
        public int Started;
        public Running? Last;

        public IRunningTranscode Start(string sourceUrl, string directory)
        {
            Started++;
            Last = new Running(directory);
            if (PublishAtStart)
                Last.Publish();
            return Last;
        }

        public Task<byte[]?> GrabFrameAsync(string sourceUrl, TimeSpan timeout, CancellationToken ct) => Task.FromResult<byte[]?>(null);
    }

    private sealed class Running(string directory) : IRunningTranscode
    {
        private volatile bool stopped;

        /// <summary>Writes the first segment, then the playlist naming it, as ffmpeg does.</summary>
        public void Publish()
        {
            File.WriteAllBytes(Path.Combine(directory, "seg0.ts"), new byte[188]);
            File.WriteAllText(Path.Combine(directory, LiveStreamRelay.Playlist), "#EXTM3U\n#EXTINF:2.0,\nseg0.ts\n");
        }

        public bool HasExited => stopped;
        public int? ProcessId => null;
        public void Dispose() => stopped = true;
    }
}
