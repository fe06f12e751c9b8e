using SeedMcp.ServiceDefaults;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>The tracing-health counters on Prometheus <c>/metrics</c>, counting real events.</summary>
public sealed class TracingHealthMetricsTests
{
    [Fact]
    public async Task Spans_are_counted_by_operation()
    {
        await using var server = await ServerHost.StartAsync();
        await using var client = await McpTestClient.ConnectAsync(server.McpEndpoint);
        using var http = RawMcp.CreateHttpClient();

        await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "count me" });

        var count = await PrometheusScrape.WaitForSampleAsync(http, server.BaseAddress, """tracing_spans_total{[^}]*operation="tool.execute.echo"[^}]*}""", minimum: 1);
        Assert.True(count >= 1);
    }

    [Fact]
    public async Task Every_started_span_ends_so_no_span_stays_open()
    {
        await using var server = await ServerHost.StartAsync();
        await using var client = await McpTestClient.ConnectAsync(server.McpEndpoint);
        using var http = RawMcp.CreateHttpClient();

        for (var i = 0; i < 5; i++)
        {
            await client.CallToolAsync("system_status");
            (await http.GetAsync(new Uri(server.BaseAddress, "health"))).Dispose();
            await http.GetStringAsync(new Uri(server.BaseAddress, "metrics"));
        }

        // Spans may still be ending just after the last response; the gauge must settle at zero and stay there.
        await PrometheusScrape.WaitForSampleAsync(http, server.BaseAddress, """tracing_spans_total{[^}]*operation="tool.execute.system_status"[^}]*}""", 5);
        var open = await PrometheusScrape.WaitForValueAsync(http, server.BaseAddress, """tracing_spans_active(?:{[^}]*})?""", value => value == 0);
        Assert.Equal(0, open);
    }

    [Fact]
    public async Task Spans_that_cannot_be_exported_are_counted_as_errors()
    {
        // A port nobody listens on: every export fails, as when the trace backend is down.
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        });
        await using var client = await McpTestClient.ConnectAsync(server.McpEndpoint);
        using var http = RawMcp.CreateHttpClient();

        for (var i = 0; i < 5; i++)
        {
            var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "lost" });
            Assert.NotEqual(true, result.IsError);
        }

        var lost = await PrometheusScrape.WaitForSampleAsync(http, server.BaseAddress,
            """tracing_errors_total{[^}]*destination="primary"[^}]*reason="export_failed"[^}]*}""", minimum: 5);
        Assert.True(lost >= 5);
    }
}
