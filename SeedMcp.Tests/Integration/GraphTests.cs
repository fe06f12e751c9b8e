using System.Net;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using SeedMcp.Tests.Support;
using StackExchange.Redis;

namespace SeedMcp.Tests.Integration;

[Collection(GraphCollection.Name)]
public sealed class GraphTests(GraphFixture graph)
{
    [Fact]
    public async Task A_real_mcp_client_lists_and_calls_every_tool()
    {
        await using var client = await McpTestClient.ConnectAsync(graph.McpEndpoint);

        var tools = await client.ListToolsAsync();
        Assert.Equal(["echo", "healthcheck", "system_status", "user_info"], tools.Select(tool => tool.Name).Order());

        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "through the graph" });
        Assert.Equal("through the graph", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);

        var health = ToolResults.Structured(await client.CallToolAsync("healthcheck"));
        Assert.Equal("Healthy", health.GetProperty("status").GetString());

        var status = ToolResults.Structured(await client.CallToolAsync("system_status"));
        Assert.True(status.GetProperty("redis").GetProperty("reachable").GetBoolean());
        Assert.True(status.GetProperty("redis").GetProperty("roundTripMilliseconds").GetDouble() > 0);
        Assert.Equal("redis", status.GetProperty("sessions").GetProperty("store").GetString());
        Assert.True(status.GetProperty("sessions").GetProperty("active").GetInt64() >= 1);

        var user = ToolResults.Structured(await client.CallToolAsync("user_info"));
        Assert.Equal("anonymous", user.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task The_session_lives_in_the_real_redis_until_delete()
    {
        using var http = RawMcp.CreateHttpClient();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(graph.RedisConnectionString);
        var sessionId = await RawMcp.OpenSessionAsync(http, graph.McpEndpoint);
        var key = new SeedMcp.Server.Redis.RedisKeys("seedmcp").Session(sessionId);

        Assert.True(await redis.GetDatabase().KeyExistsAsync(key));
        Assert.Equal("anonymous", (string?)await redis.GetDatabase().HashGetAsync(key, "userId"));

        using var delete = new HttpRequestMessage(HttpMethod.Delete, graph.McpEndpoint);
        delete.Headers.Add(RawMcp.SessionIdHeader, sessionId);
        using var deleted = await http.SendAsync(delete);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.False(await redis.GetDatabase().KeyExistsAsync(key));
    }

    [Fact]
    public async Task A_tool_call_arrives_over_otlp_as_one_trace_under_the_http_span()
    {
        using var http = RawMcp.CreateHttpClient();
        var (sessionId, caller) = await RawMcp.CallEchoInNewTraceAsync(http, graph.McpEndpoint, "traced");

        var spans = await graph.WaitForTraceAsync(caller.TraceId, found =>
            found.Any(span => span.Name == "tools/call echo") && found.Any(span => span.Name == "session.touch"));

        var httpSpan = Assert.Single(spans, span => span.Kind == OtlpSpan.ServerKind && span.ParentSpanId == caller.SpanId);
        var toolCall = Assert.Single(spans, span => span.Name == "tools/call echo");
        Assert.Equal(OtlpSpan.ServerKind, toolCall.Kind);
        Assert.Equal(httpSpan.SpanId, toolCall.ParentSpanId);
        Assert.Equal("echo", toolCall.Attributes["gen_ai.tool.name"]);
        var touch = Assert.Single(spans, span => span.Name == "session.touch");
        Assert.Equal(sessionId, touch.Attributes["session.id"]);
    }

    [Fact]
    public async Task A_client_context_in_params_meta_parents_the_tool_call_and_links_the_http_span()
    {
        using var http = RawMcp.CreateHttpClient();
        var sessionId = await RawMcp.OpenSessionAsync(http, graph.McpEndpoint);
        var client = W3CTraceContext.New();
        var body = RawMcp.CallTool("echo", """{"message":"meta"}""").Replace(
            "\"arguments\":", $"\"_meta\":{{\"traceparent\":\"{client.TraceParent}\"}},\"arguments\":", StringComparison.Ordinal);

        using var response = await http.SendAsync(RawMcp.Post(graph.McpEndpoint, body, sessionId, McpTestClient.SessionProtocolVersion));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var spans = await graph.WaitForTraceAsync(client.TraceId, found => found.Any(span => span.Name == "tools/call echo"));

        var toolCall = Assert.Single(spans, span => span.Name == "tools/call echo");
        Assert.Equal(client.SpanId, toolCall.ParentSpanId);
        Assert.NotEmpty(toolCall.LinkedSpanIds);
    }
}
