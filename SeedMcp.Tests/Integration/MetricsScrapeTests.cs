using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using SeedMcp.AppHost.Monitoring;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Integration;

/// <summary>
/// The operations kit in the booted graph: the server's <c>/metrics</c> after real tool calls, and the local Prometheus
/// (Debian's package, which .ci/test installs) scraping it, evaluating the alert rules and answering the dashboard.
/// </summary>
[Collection(GraphCollection.Name)]
public sealed class MetricsScrapeTests(GraphFixture graph)
{
    private Uri Server => graph.App.GetEndpoint("server", "http");

    [Fact]
    public async Task After_real_tool_calls_the_server_exposes_every_operations_metric_with_plausible_values()
    {
        using var http = RawMcp.CreateHttpClient();
        await using (var client = await McpTestClient.ConnectAsync(graph.McpEndpoint))
        {
            await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "one" });
            await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "two" });
            await client.CallToolAsync(new CallToolRequestParams { Name = "echo", Arguments = new Dictionary<string, JsonElement>() });
            await client.CallToolAsync("system_status");

            // The gauge is refreshed every 5 s; this session is live until the client is disposed.
            await PrometheusScrape.WaitForSampleAsync(http, Server, """seedmcp_sessions_active(?:{[^}]*})?""", 1);
        }

        // Counters run for the whole collection, so other tests' calls add to them: at least, not exactly.
        await PrometheusScrape.WaitForSampleAsync(http, Server, """seedmcp_tool_calls_total{[^}]*outcome="ok"[^}]*tool="echo"[^}]*}""", 2);
        await PrometheusScrape.WaitForSampleAsync(http, Server, """seedmcp_redis_roundtrip_seconds_count{[^}]*}""", 1);
        var samples = PrometheusExposition.Samples(await http.GetStringAsync(new Uri(Server, "metrics")));

        Assert.True(Sum(samples, "seedmcp_tool_calls_total", ("tool", "echo"), ("outcome", "error")) >= 1);
        Assert.True(Sum(samples, "seedmcp_tool_calls_total", ("tool", "system_status"), ("outcome", "ok")) >= 1);

        var echoCalls = Sum(samples, "mcp_server_operation_duration_seconds_count", ("mcp_method_name", "tools/call"), ("gen_ai_tool_name", "echo"));
        var echoSeconds = Sum(samples, "mcp_server_operation_duration_seconds_sum", ("mcp_method_name", "tools/call"), ("gen_ai_tool_name", "echo"));
        Assert.True(echoCalls >= 3, $"tools/call echo counted {echoCalls} times");
        Assert.InRange(echoSeconds / echoCalls, 1e-6, 5);

        var posts = Sum(samples, "http_server_request_duration_seconds_count", ("http_route", "/mcp/"), ("http_request_method", "POST"));
        var postSeconds = Sum(samples, "http_server_request_duration_seconds_sum", ("http_route", "/mcp/"), ("http_request_method", "POST"));
        Assert.True(posts >= 6, $"POST /mcp counted {posts} times");
        Assert.InRange(postSeconds / posts, 1e-6, 5);

        Assert.Equal(1, Sum(samples, "seedmcp_redis_up"));
        var pings = Sum(samples, "seedmcp_redis_roundtrip_seconds_count");
        Assert.InRange(Sum(samples, "seedmcp_redis_roundtrip_seconds_sum") / pings, 1e-6, 0.5);

        Assert.True(Sum(samples, "tracing_spans_total", ("operation", "tool.execute.echo")) >= 3);
        Assert.True(Sum(samples, "aspnetcore_rate_limiting_requests_total", ("aspnetcore_rate_limiting_result", "acquired")) >= posts);
    }

    [Fact]
    public async Task The_local_prometheus_scrapes_the_server_and_evaluates_the_alert_rules()
    {
        using var prometheus = await ConnectPrometheusAsync();
        await using (var client = await McpTestClient.ConnectAsync(graph.McpEndpoint))
        {
            await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "scraped" });
        }

        var up = await prometheus.WaitForAsync($"up{{job=\"{PrometheusScrapeConfig.ServerJob}\"}}", result => result.Count > 0 && result.All(sample => PrometheusApi.Value(sample) == 1));
        Assert.NotEmpty(up);
        await prometheus.WaitForAsync("""sum(seedmcp_tool_calls_total{job="seed-mcp", tool="echo"})""", result => result.Count == 1 && PrometheusApi.Value(result[0]) >= 1);

        var groups = (await prometheus.GetDataAsync("api/v1/rules")).GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["seedmcp-redis", "seedmcp-service", "seedmcp-tracing"], groups.Select(group => group.GetProperty("name").GetString()).Order());
        var rules = groups.SelectMany(group => group.GetProperty("rules").EnumerateArray()).ToList();
        Assert.Equal(8, rules.Count);
        Assert.All(rules, rule => Assert.Equal("ok", rule.GetProperty("health").GetString()));

        // A healthy graph: the server is scraped and Redis answers, so neither alert is even pending.
        var alerts = (await prometheus.GetDataAsync("api/v1/alerts")).GetProperty("alerts").EnumerateArray()
            .Select(alert => alert.GetProperty("labels").GetProperty("alertname").GetString());
        Assert.DoesNotContain("TargetDown", alerts);
        Assert.DoesNotContain("RedisDown", alerts);
    }

    [Fact]
    public async Task Every_dashboard_query_runs_on_prometheus_and_the_mcp_panels_show_data()
    {
        using var prometheus = await ConnectPrometheusAsync();
        await using (var client = await McpTestClient.ConnectAsync(graph.McpEndpoint))
        {
            await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "dashboard" });
        }

        foreach (var query in ObservabilityArtefacts.DashboardQueries())
        {
            // Grafana's $__rate_interval is at least four scrape intervals.
            var promql = query.Expression.Replace("$__rate_interval", "1m", StringComparison.Ordinal);
            var exception = await Record.ExceptionAsync(() => prometheus.QueryAsync(promql));
            Assert.True(exception is null, $"{query}\n{exception?.Message}");
        }

        foreach (var panel in new[] { "Tool calls by tool and outcome", "Active sessions", "Scraped instances", "Redis reachable", "Span rate by operation" })
        {
            var query = ObservabilityArtefacts.DashboardQueries().First(query => query.Source == $"dashboard panel '{panel}'");
            await prometheus.WaitForAsync(query.Expression.Replace("$__rate_interval", "1m", StringComparison.Ordinal), result => result.Count > 0);
        }
    }

    [Fact]
    public async Task A_tool_calls_trace_id_reaches_prometheus_as_an_exemplar_for_the_dashboards_trace_link()
    {
        using var prometheus = await ConnectPrometheusAsync();
        using var http = RawMcp.CreateHttpClient();
        var (_, caller) = await RawMcp.CallEchoInNewTraceAsync(http, graph.McpEndpoint, "exemplar");

        var selector = Uri.EscapeDataString("""mcp_server_operation_duration_seconds_bucket{job="seed-mcp", gen_ai_tool_name="echo"}""");
        var since = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        IReadOnlyList<string> traceIds = [];
        while (!traceIds.Contains(caller.TraceId) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var until = DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds();
            traceIds = [.. (await prometheus.GetDataAsync($"api/v1/query_exemplars?query={selector}&start={since}&end={until}")).EnumerateArray()
                .SelectMany(series => series.GetProperty("exemplars").EnumerateArray())
                .Select(exemplar => exemplar.GetProperty("labels").TryGetProperty("trace_id", out var id) ? id.GetString()! : string.Empty)];
        }

        Assert.Contains(caller.TraceId, traceIds);
    }

    /// <summary>.ci/test installs prometheus, so the graph must have it; a bare machine without it fails here, saying so.</summary>
    private async Task<PrometheusApi> ConnectPrometheusAsync()
    {
        Assert.True(graph.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Any(resource => resource.Name == MonitoringResourceNames.Prometheus),
            "No prometheus resource in the graph: install Prometheus ('apt-get install -y prometheus'; bash .ci/test does).");
        await graph.App.ResourceNotifications.WaitForResourceHealthyAsync(MonitoringResourceNames.Prometheus).WaitAsync(GraphFixture.StartupTimeout);
        return new PrometheusApi(graph.App.GetEndpoint(MonitoringResourceNames.Prometheus, LocalPrometheusResource.HttpEndpointName));
    }

    private static double Sum(IReadOnlyList<PrometheusSample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(sample => sample.Name == name && labels.All(label => sample.Labels.TryGetValue(label.Key, out var value) && value == label.Value))
            .Sum(sample => sample.Value);
}
