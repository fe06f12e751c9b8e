using System.Diagnostics.Tracing;
using Microsoft.Extensions.Logging;

namespace SeedMcp.ServiceDefaults;

/// <summary>
/// OpenTelemetry's own warnings and errors (exporter cannot reach its endpoint, invalid settings, dropped data),
/// which the SDK only writes to EventSources, forwarded to the application log. Development only: in production the
/// tracing-health metrics carry the same news without log noise.
/// </summary>
internal sealed partial class OpenTelemetrySelfDiagnostics(ILoggerFactory loggerFactory) : EventListener, IHostedService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("OpenTelemetry.SelfDiagnostics");

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name.StartsWith("OpenTelemetry-", StringComparison.Ordinal))
        {
            EnableEvents(eventSource, EventLevel.Warning);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        // The base constructor enables sources before our fields are set.
        if (_logger is null)
        {
            return;
        }

        var message = eventData.Message is { } format && eventData.Payload is { Count: > 0 } payload
            ? string.Format(System.Globalization.CultureInfo.InvariantCulture, format, [.. payload])
            : eventData.Message ?? eventData.EventName ?? string.Empty;
        Log(_logger, eventData.Level == EventLevel.Warning ? LogLevel.Warning : LogLevel.Error, eventData.EventSource.Name, message);
    }

    [LoggerMessage(EventId = 9001, Message = "{EventSource}: {Diagnostic}")]
    private static partial void Log(ILogger logger, LogLevel level, string eventSource, string diagnostic);
}
