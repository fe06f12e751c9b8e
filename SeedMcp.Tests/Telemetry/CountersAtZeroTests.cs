using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>
/// Counters whose label sets are known at startup are exported from the first scrape on with the value 0, before any
/// request: dashboards show 0 rather than "No data", and <c>rate()</c> alerts have a series to work on.
/// </summary>
public sealed class CountersAtZeroTests
{
    [Fact]
    public async Task Tracing_errors_and_tool_calls_exist_at_zero_before_the_first_request()
    {
        var (process, baseAddress) = await ServerProcess.StartAsync(new Dictionary<string, string?>
        {
            // Two destinations that accept nothing: they fail only once a batch is sent, and no span exists yet.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Telemetry__SecondaryTraceEndpoint"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "60000",
        });
        await using var serverProcess = process;
        using var http = RawMcp.CreateHttpClient();

        var scrape = await http.GetStringAsync(new Uri(baseAddress, "metrics"));

        foreach (var destination in new[] { "primary", "secondary" })
        {
            foreach (var reason in new[] { "export_failed", "dropped", "tail_buffer_full" })
            {
                Assert.Matches($"(?m)^tracing_errors_total\\{{[^}}]*destination=\"{destination}\",[^}}]*reason=\"{reason}\"[^}}]*\\}} 0( |$)", scrape);
            }
        }

        foreach (var tool in new[] { "echo", "healthcheck", "system_status", "user_info" })
        {
            foreach (var outcome in new[] { "ok", "error" })
            {
                Assert.Matches($"(?m)^seedmcp_tool_calls_total\\{{[^}}]*outcome=\"{outcome}\",[^}}]*tool=\"{tool}\"[^}}]*\\}} 0( |$)", scrape);
            }
        }
    }
}
