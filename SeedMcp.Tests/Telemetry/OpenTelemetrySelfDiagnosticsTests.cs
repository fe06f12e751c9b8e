using System.Diagnostics.Tracing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SeedMcp.ServiceDefaults;
using SeedMcp.Tests.Auth;

namespace SeedMcp.Tests.Telemetry;

/// <summary>
/// OpenTelemetry's EventSource diagnostics in the development log: while a backend is down every batch fails, and the
/// log gets each diagnostic's first line once per window, then a count of what was left out — not a stack trace per batch.
/// </summary>
public sealed class OpenTelemetrySelfDiagnosticsTests
{
    private const string Failure = "System.Net.Http.HttpRequestException: Connection refused (collector:4317)\n   at System.Net.Http.HttpConnectionPool.ConnectAsync()";

    [Fact]
    public void A_failure_repeated_within_the_window_is_logged_once_by_its_first_line_then_counted()
    {
        var time = new FakeTimeProvider();
        var logs = new CapturedLogs();
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(logs));
        using var source = new DiagnosticsSource();
        using var diagnostics = new OpenTelemetrySelfDiagnostics(loggerFactory, time, DiagnosticsSource.SourceName);

        for (var i = 0; i < 5; i++)
        {
            source.ExportFailed(Failure);
        }

        source.InvalidSetting("OTEL_BSP_SCHEDULE_DELAY");
        time.Advance(OpenTelemetrySelfDiagnostics.RepeatWindow);
        source.ExportFailed(Failure);

        var records = logs.Records.ToList();
        Assert.Equal(3, records.Count);
        Assert.Contains("Export failed: System.Net.Http.HttpRequestException: Connection refused (collector:4317)", records[0], StringComparison.Ordinal);
        Assert.DoesNotContain("ConnectAsync", string.Join('\n', records), StringComparison.Ordinal);
        // Another diagnostic is not held back by the first one's window.
        Assert.Contains("Invalid setting OTEL_BSP_SCHEDULE_DELAY", records[1], StringComparison.Ordinal);
        Assert.Contains("(and 4 more like it since the last one logged)", records[2], StringComparison.Ordinal);
    }

    [EventSource(Name = SourceName)]
    private sealed class DiagnosticsSource : EventSource
    {
        public const string SourceName = "SeedMcp-Tests-SelfDiagnostics";

        [Event(1, Level = EventLevel.Error, Message = "Export failed: {0}")]
        public void ExportFailed(string exception) => WriteEvent(1, exception);

        [Event(2, Level = EventLevel.Warning, Message = "Invalid setting {0}")]
        public void InvalidSetting(string name) => WriteEvent(2, name);
    }
}
