using System.Diagnostics.Tracing;
using Microsoft.Extensions.Logging;

namespace SeedMcp.ServiceDefaults;

/// <summary>
/// OpenTelemetry's own warnings and errors (exporter cannot reach its endpoint, invalid settings, dropped data),
/// which the SDK only writes to EventSources, forwarded to the application log. Development only: in production the
/// tracing-health metrics carry the same news without log noise.
/// </summary>
/// <remarks>
/// While a backend is down the exporter fails every batch, each event carrying a whole stack trace. So only the
/// first line of a diagnostic is logged, and the same event again within <see cref="RepeatWindow"/> is counted, not
/// logged: the next one after the window says how many were left out.
/// </remarks>
internal sealed partial class OpenTelemetrySelfDiagnostics : EventListener, IHostedService
{
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromSeconds(30);

    private readonly Dictionary<(string Source, int EventId), Repeats> _repeats = [];
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _sourcePrefix;

    public OpenTelemetrySelfDiagnostics(ILoggerFactory loggerFactory)
        : this(loggerFactory, TimeProvider.System, "OpenTelemetry-")
    {
    }

    /// <param name="sourcePrefix">Which EventSources to listen to, by name prefix (a test gives its own).</param>
    internal OpenTelemetrySelfDiagnostics(ILoggerFactory loggerFactory, TimeProvider time, string sourcePrefix)
    {
        _logger = loggerFactory.CreateLogger("OpenTelemetry.SelfDiagnostics");
        _time = time;
        _sourcePrefix = sourcePrefix;
        // The base constructor saw the sources that existed before our fields were set: look again.
        foreach (var source in EventSource.GetSources())
        {
            OnEventSourceCreated(source);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (_sourcePrefix is not null && eventSource.Name.StartsWith(_sourcePrefix, StringComparison.Ordinal))
        {
            EnableEvents(eventSource, EventLevel.Warning);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        // The base constructor enables sources before our fields are set.
        if (_logger is null || eventData.Level > EventLevel.Warning)
        {
            return;
        }

        var now = _time.GetUtcNow();
        int leftOut;
        lock (_repeats)
        {
            var key = (eventData.EventSource.Name, eventData.EventId);
            if (_repeats.TryGetValue(key, out var repeats) && now - repeats.LoggedAt < RepeatWindow)
            {
                repeats.LeftOut++;
                return;
            }

            leftOut = repeats?.LeftOut ?? 0;
            _repeats[key] = new Repeats(now);
        }

        var message = eventData.Message is { } format && eventData.Payload is { Count: > 0 } payload
            ? string.Format(System.Globalization.CultureInfo.InvariantCulture, format, [.. payload])
            : eventData.Message ?? eventData.EventName ?? string.Empty;
        // The payload's exception text runs on with its stack trace: its first line says what failed.
        var firstLine = message.TrimStart();
        firstLine = firstLine.IndexOfAny(['\r', '\n']) is var end and >= 0 ? firstLine[..end] : firstLine;
        var level = eventData.Level == EventLevel.Warning ? LogLevel.Warning : LogLevel.Error;
        if (leftOut == 0)
        {
            Log(_logger, level, eventData.EventSource.Name, firstLine);
        }
        else
        {
            LogAfterRepeats(_logger, level, eventData.EventSource.Name, firstLine, leftOut);
        }
    }

    [LoggerMessage(EventId = 9001, Message = "{EventSource}: {Diagnostic}")]
    private static partial void Log(ILogger logger, LogLevel level, string eventSource, string diagnostic);

    [LoggerMessage(EventId = 9002, Message = "{EventSource}: {Diagnostic} (and {LeftOut} more like it since the last one logged)")]
    private static partial void LogAfterRepeats(ILogger logger, LogLevel level, string eventSource, string diagnostic, int leftOut);

    private sealed class Repeats(DateTimeOffset loggedAt)
    {
        public DateTimeOffset LoggedAt { get; } = loggedAt;

        public int LeftOut { get; set; }
    }
}
