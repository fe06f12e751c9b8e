using System.Diagnostics;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>
/// With ratio sampling the server's own roots are mostly declined, yet a caller that sampled its trace and sends it
/// in <c>params._meta</c> gets the whole request recorded, HTTP span attributes included (parent-based sampling).
/// </summary>
public sealed class MetaPropagationSamplingTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = RawMcp.CreateHttpClient();
    private TracedServer _server = null!;

    public async Task InitializeAsync() => _server = await TracedServer.StartAsync(new Dictionary<string, string?>
    {
        ["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio",
        ["OTEL_TRACES_SAMPLER_ARG"] = "0",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_sampled_meta_context_records_the_request_span_with_its_attributes_under_the_caller()
    {
        var sessionId = await RawMcp.OpenSessionAsync(_http, _server.Host.McpEndpoint);
        var caller = W3CTraceContext.New();

        using var response = await _http.SendAsync(RawMcp.Post(_server.Host.McpEndpoint,
            WholeTraceRequests.WithMeta(RawMcp.CallTool("echo", """{"message":"x"}"""), caller.TraceParent), sessionId, McpTestClient.SessionProtocolVersion));
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsStringAsync();

        var http = await _server.SpanAsync(span => span.Kind == ActivityKind.Server && span.Source.Name == "Microsoft.AspNetCore" && span.TraceId.ToHexString() == caller.TraceId, "the request span");
        Assert.Equal(caller.SpanId, http.ParentSpanId.ToHexString());
        Assert.Equal("POST /mcp/", http.DisplayName);
        Assert.Equal(200, http.GetTagItem("http.response.status_code"));
        Assert.Equal("POST", http.GetTagItem("http.request.method"));
        Assert.NotNull(http.GetTagItem("client.address"));
        var touch = await _server.SpanAsync(span => span.DisplayName == "session.touch" && span.TraceId.ToHexString() == caller.TraceId, "session.touch");
        Assert.Equal(http.SpanId, touch.ParentSpanId);
        // The session's own requests, with no caller context, were declined by the ratio sampler.
        Assert.DoesNotContain(_server.Spans, span => span.Source.Name == "Microsoft.AspNetCore" && span.TraceId.ToHexString() != caller.TraceId);
    }
}
