using System.Diagnostics;
using System.Globalization;

namespace SafeCities.Benchmarks.Nodes;

/// <summary>Debian's redis-server on a free loopback port, without persistence, in a folder of its own; stopped on dispose.</summary>
internal sealed class RedisServer : IAsyncDisposable
{
    public const string Executable = "/usr/bin/redis-server";
    private readonly Process process;

    private RedisServer(Process process, int port, string directory)
    {
        this.process = process;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }
    public string Directory { get; }

    /// <summary>The value of ConnectionStrings:Redis for the app nodes.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync(string directory)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: run scripts/setup-debian --with-nodes (scripts/test does).");
        System.IO.Directory.CreateDirectory(directory);
        var port = FreePort.Next();
        var start = new ProcessStartInfo(Executable) { UseShellExecute = false, WorkingDirectory = directory };
        foreach (var arg in (string[])["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--protected-mode", "yes",
                     "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", directory, "--logfile", Path.Combine(directory, "redis.log")])
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        await FreePort.WaitListeningAsync(port, TimeSpan.FromSeconds(10), () => process.HasExited);
        if (process.HasExited)
            throw new InvalidOperationException($"redis-server exited at start (code {process.ExitCode}); see {directory}/redis.log");
        return new RedisServer(process, port, directory);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();     // nothing to keep: it has no persistence
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
