using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using SeedMcp.AppHost.Monitoring;
using SeedMcp.Tests.Support;
using StackExchange.Redis;

namespace SeedMcp.Tests.Containers;

/// <summary>
/// What a Docker user gets from the AppHost, through a real MCP client: sessions in the Redis container, traces at the
/// dashboard, Prometheus scraping the server from its container, and a server that keeps serving while Jaeger and
/// Grafana cannot start.
/// </summary>
[Collection(ContainerGraphCollection.Name)]
public sealed class ContainerGraphTests(ContainerGraphFixture graph)
{
    private static readonly TimeSpan Timeout = ContainerGraphFixture.StartupTimeout;

    [ContainerFact]
    public async Task The_session_an_mcp_client_opens_is_stored_in_the_redis_container()
    {
        Assert.IsAssignableFrom<ContainerResource>(Resource("cache"));
        await graph.App.ResourceNotifications.WaitForResourceHealthyAsync("cache").WaitAsync(Timeout);

        await using var client = await McpTestClient.ConnectAsync(graph.McpEndpoint);
        await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "stored" });
        var sessionId = client.SessionId ?? throw new InvalidOperationException("The server issued no session.");

        var connectionString = await graph.App.GetConnectionStringAsync("cache").AsTask().WaitAsync(Timeout);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString!);
        // Where the server writes it (RedisKeys: the session id is the key's hash tag), with its TTL.
        var key = new SeedMcp.Server.Redis.RedisKeys("seedmcp").Session(sessionId);
        Assert.True(await redis.GetDatabase().KeyTimeToLiveAsync(key) > TimeSpan.Zero);

        var (_, running) = await ContainerEngine.RunAsync(["ps", "--filter", "status=running", "--format", "{{.Image}}"], TimeSpan.FromSeconds(30));
        Assert.Contains($"{ContainerGraphFixture.StandInRegistry}/library/redis:", running, StringComparison.Ordinal);
    }

    [ContainerFact]
    public async Task A_tool_calls_trace_reaches_the_dashboard()
    {
        using var http = RawMcp.CreateHttpClient();
        var (_, caller) = await RawMcp.CallEchoInNewTraceAsync(http, graph.McpEndpoint, "traced");

        var spans = await DashboardTelemetryApi.WaitForTraceAsync(graph.Dashboard, caller.TraceId,
            found => found.Any(span => span.Name == "tool.execute.echo") && found.Any(span => span.Name == "tools/call echo"), TimeSpan.FromSeconds(60));

        // What the wait did not already say: one tool call, its span inside the MCP SDK's.
        var mcp = Assert.Single(spans, span => span.Name == "tools/call echo");
        Assert.Equal(mcp.SpanId, Assert.Single(spans, span => span.Name == "tool.execute.echo").ParentSpanId);
    }

    [ContainerFact]
    public async Task Prometheus_scrapes_the_server_from_its_container()
    {
        Assert.IsAssignableFrom<ContainerResource>(Resource(MonitoringResourceNames.Prometheus));
        await graph.App.ResourceNotifications.WaitForResourceHealthyAsync(MonitoringResourceNames.Prometheus).WaitAsync(Timeout);
        using var prometheus = new PrometheusApi(graph.App.GetEndpoint(MonitoringResourceNames.Prometheus, PrometheusContainerImage.HttpEndpointName));
        await using (var client = await McpTestClient.ConnectAsync(graph.McpEndpoint))
        {
            await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "scraped" });
        }

        var up = await prometheus.WaitForAsync($"up{{job=\"{PrometheusScrapeConfig.ServerJob}\"}}",
            result => result.Count > 0 && result.All(sample => PrometheusApi.Value(sample) == 1), TimeSpan.FromSeconds(90));
        await prometheus.WaitForAsync($"sum(seedmcp_tool_calls_total{{job=\"{PrometheusScrapeConfig.ServerJob}\", tool=\"echo\"}})",
            result => result.Count == 1 && PrometheusApi.Value(result[0]) >= 1, TimeSpan.FromSeconds(90));

        // The target is the server as the container reaches it (Aspire's container-to-host route), not the host's loopback.
        var instance = Assert.Single(up).GetProperty("metric").GetProperty("instance").GetString()!;
        Assert.DoesNotContain("localhost", instance, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", instance, StringComparison.Ordinal);

        // The alert rules were copied in and load.
        var groups = (await prometheus.GetDataAsync("api/v1/rules")).GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["seedmcp-redis", "seedmcp-service", "seedmcp-tracing"], groups.Select(group => group.GetProperty("name").GetString()).Order());
    }

    [ContainerFact]
    public async Task While_jaeger_and_grafana_cannot_start_the_server_serves_and_counts_the_spans_it_cannot_export()
    {
        foreach (var resource in new[] { "jaeger", MonitoringResourceNames.Grafana })
        {
            await graph.App.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.FailedToStart).WaitAsync(Timeout);
        }

        using var http = RawMcp.CreateHttpClient();
        await using (var client = await McpTestClient.ConnectAsync(graph.McpEndpoint))
        {
            for (var call = 0; call < 5; call++)
            {
                var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = $"call {call}" });
                Assert.NotEqual(true, result.IsError);
            }
        }

        var lost = await PrometheusScrape.WaitForSampleAsync(http, graph.App.GetEndpoint("server", "http"),
            """tracing_errors_total{[^}]*destination="secondary"[^}]*reason="export_failed"[^}]*}""", 1, TimeSpan.FromSeconds(90));
        Assert.True(lost >= 1);
        Assert.Equal("Healthy", await http.GetStringAsync(new Uri(graph.App.GetEndpoint("server", "http"), "health")));
    }

    private IResource Resource(string name) =>
        graph.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(resource => resource.Name == name);
}
