using System.Diagnostics;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>A caller's trace continues through the server, from an HTTP header or from the MCP client's own span.</summary>
public sealed class PropagationTests : IAsyncLifetime, IDisposable
{
    private TracedServer _server = null!;
    private readonly HttpClient _http = RawMcp.CreateHttpClient();

    public async Task InitializeAsync() => _server = await TracedServer.StartAsync(new Dictionary<string, string?>
    {
        ["Telemetry:BaggageAllowList:0"] = "tenant",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_traceparent_header_and_baggage_continue_into_every_server_span()
    {
        var sessionId = await RawMcp.OpenSessionAsync(_http, _server.Host.McpEndpoint);
        var caller = W3CTraceContext.New();
        using var request = RawMcp.Post(_server.Host.McpEndpoint, RawMcp.CallTool("echo", """{"message":"x"}"""), sessionId, McpTestClient.SessionProtocolVersion);
        request.Headers.Add("traceparent", caller.TraceParent);
        request.Headers.Add("baggage", "tenant=acme");

        (await _http.SendAsync(request)).Dispose();

        var tool = await _server.SpanAsync(span => span.DisplayName == "tool.execute.echo", "tool.execute.echo");
        var touch = await _server.SpanAsync(span => span.DisplayName == "session.touch" && span.TraceId.ToHexString() == caller.TraceId, "session.touch");
        Assert.Equal(caller.TraceId, tool.TraceId.ToHexString());
        Assert.Equal("acme", tool.GetTagItem("baggage.tenant"));
        var hit = Assert.Single(touch.Events, e => e.Name == "cache.hit");
        Assert.Equal(3600L, hit.Tags.First(tag => tag.Key == "cache.ttl").Value);
        Assert.EndsWith(sessionId, (string)hit.Tags.First(tag => tag.Key == "cache.key").Value!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_session_is_a_cache_miss_on_its_touch_span()
    {
        (await _http.SendAsync(RawMcp.Post(_server.Host.McpEndpoint, RawMcp.CallTool("echo", """{"message":"x"}"""), "nope", McpTestClient.SessionProtocolVersion))).Dispose();

        var touch = await _server.SpanAsync(span => span.DisplayName == "session.touch" && (string?)span.GetTagItem("session.id") == "nope", "session.touch");
        Assert.Single(touch.Events, e => e.Name == "cache.miss");
    }

    [Fact]
    public async Task The_mcp_clients_span_is_the_parent_of_the_servers_tools_call_span()
    {
        // The MCP client creates its own "tools/call" CLIENT span only when someone listens, and then propagates it
        // in params._meta; the server's TracerProvider (same process, same source) is that listener here.
        await using var client = await McpTestClient.ConnectAsync(_server.Host.McpEndpoint);

        await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "propagated" });

        var clientSpan = await _server.SpanAsync(span => span.DisplayName == "tools/call echo" && span.Kind == ActivityKind.Client, "client tools/call");
        var serverSpan = await _server.SpanAsync(span => span.DisplayName == "tools/call echo" && span.Kind == ActivityKind.Server, "server tools/call");
        var toolSpan = await _server.SpanAsync(span => span.DisplayName == "tool.execute.echo", "tool.execute.echo");
        Assert.Equal(clientSpan.TraceId, serverSpan.TraceId);
        Assert.Equal(clientSpan.SpanId, serverSpan.ParentSpanId);
        Assert.Equal(clientSpan.TraceId, toolSpan.TraceId);
        Assert.NotEmpty(serverSpan.Links);
    }
}
