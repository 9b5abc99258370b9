using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Publishing.Tests.Support;

/// <summary>Keeps every formatted log line (to assert on errors and on what is never logged) and echoes warnings to xunit.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public string All => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}[{eventId.Id}] {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception)}";
            owner._lines.Enqueue(line);
        }
    }
}
