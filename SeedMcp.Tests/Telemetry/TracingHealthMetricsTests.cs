using SeedMcp.ServiceDefaults;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>
/// The tracing-health counters on Prometheus <c>/metrics</c>, counting real events. Each server runs as its own
/// process, so no neighbouring in-process host's meters of the same name share its series.
/// </summary>
public sealed class TracingHealthMetricsTests
{
    [Fact]
    public async Task Spans_are_counted_by_operation()
    {
        var (process, baseAddress) = await ServerProcess.StartAsync(new Dictionary<string, string?>());
        await using var server = process;
        await using var client = await McpTestClient.ConnectAsync(new Uri(baseAddress, "mcp"));
        using var http = RawMcp.CreateHttpClient();

        await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "count me" });

        // One call, one tool span: exactly 1, not merely some.
        Assert.Equal(1, await PrometheusScrape.WaitForSampleAsync(http, baseAddress, """tracing_spans_total{[^}]*operation="tool.execute.echo"[^}]*}""", minimum: 1));
    }

    [Fact]
    public async Task Every_started_span_ends_so_no_span_stays_open()
    {
        var (process, baseAddress) = await ServerProcess.StartAsync(new Dictionary<string, string?>());
        await using var server = process;
        await using var client = await McpTestClient.ConnectAsync(new Uri(baseAddress, "mcp"));
        using var http = RawMcp.CreateHttpClient();

        for (var i = 0; i < 5; i++)
        {
            await client.CallToolAsync("system_status");
            (await http.GetAsync(new Uri(baseAddress, "health"))).Dispose();
            await http.GetStringAsync(new Uri(baseAddress, "metrics"));
        }

        // Spans may still be ending just after the last response; the gauge must settle at zero and stay there.
        await PrometheusScrape.WaitForSampleAsync(http, baseAddress, """tracing_spans_total{[^}]*operation="tool.execute.system_status"[^}]*}""", 5);
        await PrometheusScrape.WaitForValueAsync(http, baseAddress, """tracing_spans_active(?:{[^}]*})?""", value => value == 0, what: "settle at 0");
    }

    [Fact]
    public async Task Spans_that_cannot_be_exported_are_counted_as_errors()
    {
        // A port nobody listens on: every export fails, as when the trace backend is down.
        var (process, baseAddress) = await ServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        });
        await using var server = process;
        await using var client = await McpTestClient.ConnectAsync(new Uri(baseAddress, "mcp"));
        using var http = RawMcp.CreateHttpClient();

        for (var i = 0; i < 5; i++)
        {
            var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "lost" });
            Assert.NotEqual(true, result.IsError);
        }

        // Five calls' spans, every one lost: the counter reaches at least 5 (a span per call at the least) or the wait fails.
        await PrometheusScrape.WaitForSampleAsync(http, baseAddress,
            """tracing_errors_total{[^}]*destination="primary"[^}]*reason="export_failed"[^}]*}""", minimum: 5);
    }
}
