using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SeedMcp.Tests.Auth;

/// <summary>Every log record the server writes, as text: message, structured values and exception, for leak checks.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _records = new();

    public IReadOnlyCollection<string> Records => _records;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _records);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            records.Enqueue($"{category} {logLevel}: {formatter(state, exception)} | {string.Join("; ", values.Select(value => $"{value.Key}={value.Value}"))} | {exception}");
        }
    }
}
