using System.Diagnostics;

namespace SafeCities.Benchmarks.Nodes;

/// <summary>
/// The real app as a child process (<c>dotnet SafeCities.Web/bin/…/SafeCities.Web.dll --urls http://127.0.0.1:PORT</c>), configured by
/// environment variables, its output appended to <c>&lt;logDirectory&gt;/&lt;name&gt;.log</c>. It can be waited on until healthy, killed
/// with SIGKILL (a crash: no shutdown code runs), stopped with SIGTERM, and started again on the same port.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;
    private readonly IReadOnlyDictionary<string, string?> settings;
    private readonly string logDirectory;
    private bool logClosed;

    private AppProcess(string name, int port, IReadOnlyDictionary<string, string?> settings, string logDirectory)
    {
        Name = name;
        Port = port;
        this.settings = settings;
        this.logDirectory = logDirectory;
        Directory.CreateDirectory(logDirectory);
        LogPath = Path.Combine(logDirectory, $"{name}.log");
        log = new StreamWriter(new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        if (!File.Exists(Repository.WebDll))
            throw new InvalidOperationException($"{Repository.WebDll} is missing: build the solution in {Repository.Configuration} first.");

        var start = new ProcessStartInfo("dotnet")
        {
            // The content root is the project folder (wwwroot); Development serves the build's static web assets from it, as `dotnet run` does.
            WorkingDirectory = Repository.WebDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Repository.WebDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var inherited in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
            start.Environment.Remove(inherited);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";

        log.WriteLine($"===== {name} starting at {DateTimeOffset.Now:O} on port {port}");
        process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) => Write($"===== {name} exited at {DateTimeOffset.Now:O}");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Pid = process.Id;
    }

    public string Name { get; }
    public int Port { get; }
    public int Pid { get; }
    public string LogPath { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    public bool HasExited => process.HasExited;

    /// <summary>Starts a node; keys are configuration keys ("ConnectionStrings:SafeCities"), passed as environment variables.</summary>
    public static AppProcess Start(string name, IReadOnlyDictionary<string, string?> settings, string logDirectory, int? port = null) =>
        new(name, port ?? FreePort.Next(), settings, logDirectory);

    /// <summary>The same node again (same name, port, settings and log file), after it was killed or stopped.</summary>
    public AppProcess StartAgain()
    {
        if (!process.HasExited)
            throw new InvalidOperationException($"{Name} is still running.");
        process.WaitForExit();      // the rest of its output is in the log
        CloseLog();
        return new AppProcess(Name, Port, settings, logDirectory);
    }

    /// <summary>Polls <c>/health</c> until it answers 200; fails at once (with the end of the log) if the process exits.</summary>
    public async Task<TimeSpan> WaitHealthyAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{Name} exited with code {process.ExitCode} before it was healthy:\n{LogTail()}");
            try
            {
                using var response = await http.GetAsync("health");
                if (response.IsSuccessStatusCode)
                    return watch.Elapsed;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (watch.Elapsed > timeout)
                throw new TimeoutException($"{Name} was not healthy within {timeout.TotalSeconds:0} s:\n{LogTail()}");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: the process ends at once, mid-request, mid-transaction, holding whatever it held.</summary>
    public void Kill()
    {
        if (!process.HasExited)
            process.Kill();
        process.WaitForExit();
        Write($"===== {Name} killed (SIGKILL) by the harness at {DateTimeOffset.Now:O}");
    }

    /// <summary>SIGTERM, as a service manager stops the app; SIGKILL if it has not ended within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (process.HasExited)
            return;
        using (var term = Process.Start("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await term.WaitForExitAsync();
        using var wait = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public string LogTail(int lines = 60)
    {
        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var all = reader.ReadToEnd().Split('\n');
        return string.Join('\n', all.TakeLast(lines));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process.Dispose();
        CloseLog();
    }

    private void CloseLog()
    {
        lock (log)
        {
            logClosed = true;
            log.Dispose();
        }
    }

    private void Write(string? line)
    {
        if (line is null)
            return;
        lock (log)
        {
            if (!logClosed)
                log.WriteLine(line);
        }
    }
}
