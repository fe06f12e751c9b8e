using System.Text.Json;
using ModelContextProtocol.Protocol;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Operations;

/// <summary>
/// Every metric the dashboard, the alert rules and the rules' unit tests name is one the server really exposes on
/// <c>/metrics</c>: a misspelt or renamed metric would otherwise give an empty panel or an alert that never fires.
/// </summary>
public sealed class QueriesMatchMetricsTests
{
    [Fact]
    public async Task Every_metric_the_dashboard_and_the_alert_rules_query_is_exposed_by_the_server()
    {
        var exposed = await ScrapeAfterEveryKindOfEventAsync();
        var queries = ObservabilityArtefacts.DashboardQueries()
            .Concat(ObservabilityArtefacts.RuleExpressions())
            .Concat(ObservabilityArtefacts.RuleTestInputSeries())
            .ToList();

        var unknown = queries
            .SelectMany(query => PromQlMetricNames.Extract(query.Expression).Select(name => (Name: name, Query: query)))
            .Where(use => !exposed.Contains(use.Name) && !PrometheusExposition.WrittenByPrometheus.Contains(use.Name))
            .Select(use => $"{use.Name} in {use.Query}")
            .ToList();

        Assert.True(queries.Count >= 20, $"Expected the dashboard and rules to carry their queries; found {queries.Count}.");
        Assert.True(unknown.Count == 0, "Metrics that /metrics does not expose:\n" + string.Join('\n', unknown));
    }

    [Fact]
    public void The_dashboard_has_the_seed_panels_and_the_mcp_panels()
    {
        var panels = ObservabilityArtefacts.DashboardQueries().Select(query => query.Source).ToHashSet();

        foreach (var title in new[]
        {
            "p95 request latency by endpoint", "Span rate by operation", "Tracing error rate",
            "Tool calls by tool and outcome", "Tool error ratio by tool", "MCP operation p95 by method and tool",
            "Active sessions", "Redis round trip p95", "Rate-limit rejections and fail-opens",
        })
        {
            Assert.Contains($"dashboard panel '{title}'", panels);
        }
    }

    /// <summary>
    /// A server that has seen everything the artefacts watch for: tool calls that succeed and fail, a session, spans
    /// it could not export (tracing_errors_total appears only then), and Redis going away (seedmcp_redis_up drops, the
    /// rate limiter fails open).
    /// </summary>
    private static async Task<IReadOnlySet<string>> ScrapeAfterEveryKindOfEventAsync()
    {
        var redis = new RedisServerFixture();
        await redis.InitializeAsync();
        var redisRunning = true;
        try
        {
            // Its own process: in the test process, a neighbouring host's meters of the same name would share its series.
            var (process, baseAddress) = await ServerProcess.StartAsync(new Dictionary<string, string?>
            {
                ["ConnectionStrings__cache"] = redis.ConnectionString,
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{FreePort.Next()}",
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                // Its decision counters and held-span gauges exist only with tail sampling on.
                ["Telemetry__TailSampling__Enabled"] = "true",
            });
            await using var server = process;
            var mcpEndpoint = new Uri(baseAddress, "mcp");
            using var http = RawMcp.CreateHttpClient();

            await using (var client = await McpTestClient.ConnectAsync(mcpEndpoint))
            {
                await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "ok" });
                await client.CallToolAsync(new CallToolRequestParams { Name = "echo", Arguments = new Dictionary<string, JsonElement>() });
                await client.CallToolAsync("system_status");
            }

            await PrometheusScrape.WaitForSampleAsync(http, baseAddress, "tracing_errors_total{[^}]*}", minimum: 1);
            await PrometheusScrape.WaitForSampleAsync(http, baseAddress, "seedmcp_redis_roundtrip_seconds_count{[^}]*}", minimum: 1);

            await redis.DisposeAsync();
            redisRunning = false;
            using (await http.SendAsync(RawMcp.Post(mcpEndpoint, RawMcp.Initialize())))
            {
                // Whatever the answer, the rate limiter had to decide without Redis first.
            }

            await PrometheusScrape.WaitForSampleAsync(http, baseAddress, "seedmcp_rate_limit_failed_open_total{[^}]*}", minimum: 1);
            return PrometheusExposition.SeriesNames(await http.GetStringAsync(new Uri(baseAddress, "metrics")));
        }
        finally
        {
            if (redisRunning)
            {
                await redis.DisposeAsync();
            }
        }
    }
}
