using System.Diagnostics;
using System.Net;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>ASP.NET Core's request span as SeedMcp shapes it: semantic-convention attributes, route name, probes left out.</summary>
public sealed class HttpServerSpanTests : IAsyncLifetime
{
    private TracedServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await TracedServer.StartAsync();
        _http = RawMcp.CreateHttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task An_mcp_request_span_carries_the_http_semantic_conventions_and_its_route()
    {
        var endpoint = _server.Host.McpEndpoint;
        var sessionId = await RawMcp.OpenSessionAsync(_http, endpoint);
        using var request = RawMcp.Post(endpoint, RawMcp.CallTool("echo", """{"message":"span"}"""), sessionId, McpTestClient.SessionProtocolVersion);
        request.Headers.UserAgent.ParseAdd("span-test/1.0");
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var toolSpan = await _server.SpanAsync(span => span.DisplayName == "tool.execute.echo", "tool.execute.echo");
        var span = await _server.SpanAsync(span => span.TraceId == toolSpan.TraceId && span.Kind == ActivityKind.Server && span.Source.Name == "Microsoft.AspNetCore", "the HTTP server span");

        Assert.Equal("POST /mcp/", span.DisplayName);
        Assert.Equal("POST", span.GetTagItem("http.request.method"));
        Assert.Equal("/mcp/", span.GetTagItem("http.route"));
        Assert.Equal(endpoint.AbsolutePath, span.GetTagItem("url.path"));
        Assert.Equal("http", span.GetTagItem("url.scheme"));
        Assert.Equal(endpoint.Host, span.GetTagItem("server.address"));
        Assert.Equal(endpoint.Port, span.GetTagItem("server.port"));
        Assert.Equal("1.1", span.GetTagItem("network.protocol.version"));
        Assert.Equal("span-test/1.0", span.GetTagItem("user_agent.original"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task Client_errors_are_not_span_errors_and_unknown_methods_are_named_other()
    {
        using var request = new HttpRequestMessage(new HttpMethod("BREW"), _server.Host.McpEndpoint);
        using var response = await _http.SendAsync(request);
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"BREW /mcp answered {(int)response.StatusCode}");

        var span = await _server.SpanAsync(span => "BREW".Equals(span.GetTagItem("http.request.method_original")), "the BREW request's span");
        Assert.Equal("_OTHER", span.GetTagItem("http.request.method"));
        Assert.Equal((int)response.StatusCode, span.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.StartsWith("HTTP", span.DisplayName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_probes_and_scrapes_leave_no_span()
    {
        using var probe = await _http.GetAsync(new Uri(_server.Host.BaseAddress, "health"));
        using var scrape = await _http.GetAsync(new Uri(_server.Host.BaseAddress, "metrics"));
        await RawMcp.OpenSessionAsync(_http, _server.Host.McpEndpoint);
        await _server.SpanAsync(span => span.Source.Name == "Microsoft.AspNetCore", "the initialize request's span");

        Assert.DoesNotContain(_server.Spans, span => span.GetTagItem("url.path") is "/health" or "/metrics");
        Assert.DoesNotContain(_server.Spans, span => span.DisplayName.Contains("health", StringComparison.Ordinal) || span.DisplayName.Contains("metrics", StringComparison.Ordinal));
    }
}
