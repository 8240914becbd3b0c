using System.Diagnostics;
using System.Globalization;

namespace SafeCities.Benchmarks.Nodes;

/// <summary>
/// Debian's nginx in front of the nodes, from the one configuration template the scripts use too (scripts/nodes/nginx.conf.template),
/// listening on a free loopback port, with its pid, logs and buffers in a folder of its own; stopped on dispose.
/// </summary>
internal sealed class NginxBalancer : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/nginx";
    private readonly Process process;

    private NginxBalancer(Process process, int port, string directory)
    {
        this.process = process;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }
    public string Directory { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public static string Template => Path.Combine(Repository.Root, "scripts", "nodes", "nginx.conf.template");

    public static async Task<NginxBalancer> StartAsync(IEnumerable<int> nodePorts, string directory)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: run scripts/setup-debian --with-nodes (scripts/test does).");
        System.IO.Directory.CreateDirectory(directory);
        // nginx started as root runs its workers as "nobody": they must reach the folder.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        var port = FreePort.Next();
        var config = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(config, Render(await File.ReadAllTextAsync(Template), port, directory, nodePorts));
        var start = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in (string[])["-p", directory, "-e", Path.Combine(directory, "error.log"), "-c", config])
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        await FreePort.WaitListeningAsync(port, TimeSpan.FromSeconds(10), () => process.HasExited);
        if (process.HasExited)
            throw new InvalidOperationException($"nginx exited at start (code {process.ExitCode}): {await errors}");
        return new NginxBalancer(process, port, directory);
    }

    /// <summary>The template with its three placeholders filled in (the same rules as scripts/run).</summary>
    public static string Render(string template, int port, string directory, IEnumerable<int> nodePorts) => template
        .Replace("{{LISTEN}}", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal)
        .Replace("{{DIR}}", directory, StringComparison.Ordinal)
        .Replace("{{NODES}}", string.Join("\n        ", nodePorts.Select(p => $"server 127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)} max_fails=1 fail_timeout=3s;")),
            StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            using (var quit = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
                await quit.WaitForExitAsync();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process.Dispose();
    }
}
