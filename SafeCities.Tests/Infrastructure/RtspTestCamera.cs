using System.Diagnostics;

namespace SafeCities.Tests.Infrastructure;

/// <summary>
/// A real RTSP camera for the tests: GStreamer's RTSP server (Debian's gir1.2-gst-rtsp-server-1.0, installed by scripts/test) serving a moving
/// H.264 test pattern at <see cref="Url"/> (rtsp-test-camera.py). Stopped when disposed (its stdin closes, then a kill).
/// </summary>
public sealed class RtspTestCamera : IAsyncDisposable
{
    private readonly Process process;

    private RtspTestCamera(Process process, int port)
    {
        this.process = process;
        Url = $"rtsp://127.0.0.1:{port}/cam";
    }

    public string Url { get; }

    public static async Task<RtspTestCamera> StartAsync()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Infrastructure", "rtsp-test-camera.py"));
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line != "ready")
        {
            var error = process.HasExited ? await process.StandardError.ReadToEndAsync(timeout.Token) : "";
            throw new InvalidOperationException($"the RTSP test camera did not start ({line}): {error} — install it with scripts/setup-debian --with-video");
        }
        return new RtspTestCamera(process, port);
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        process.StandardInput.Close();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
        process.Dispose();
    }
}
