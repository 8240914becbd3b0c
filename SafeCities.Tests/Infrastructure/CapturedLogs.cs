using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SafeCities.Tests.Infrastructure;

/// <summary>One entry the app logged at warning level or above.</summary>
public sealed record LogEntry(long Sequence, string Category, LogLevel Level, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category}: {Message}{(Exception is null ? "" : $" ({Exception.GetType().Name}: {Exception.Message})")}";
}

/// <summary>
/// The app's warnings and errors, in order, for tests that must show nothing went wrong inside (an exception turned into a 400
/// ProblemDetails by the exception handler is not logged as an error; a 500, a database error or a failed background reaction is).
/// Take a <see cref="Mark"/> before, read <see cref="ErrorsSince"/> after.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> entries = new();
    private long sequence;

    public long Mark => Interlocked.Read(ref sequence);

    public IReadOnlyList<LogEntry> ErrorsSince(long mark) => entries.Where(e => e.Sequence > mark && e.Level >= LogLevel.Error).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            var entry = new LogEntry(Interlocked.Increment(ref logs.sequence), category, logLevel, formatter(state, exception), exception);
            logs.entries.Enqueue(entry);
            while (logs.entries.Count > 10_000 && logs.entries.TryDequeue(out _))
            {
            }
        }
    }
}
