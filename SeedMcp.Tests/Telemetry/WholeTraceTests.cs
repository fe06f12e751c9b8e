using System.Net;
using System.Text;
using SeedMcp.Tests.Support;
using Xunit.Abstractions;

namespace SeedMcp.Tests.Telemetry;

/// <summary>
/// One whole trace per request, whichever way the caller sends its context — a <c>traceparent</c> header or
/// <c>params._meta</c> only — read back from a real OTLP receiver, with real Redis and a real token issuer.
/// </summary>
[Collection(WholeTraceCollection.Name)]
public sealed class WholeTraceTests(WholeTraceFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task With_a_traceparent_header_every_server_span_sits_under_the_callers_span()
    {
        var caller = W3CTraceContext.New();
        await CallEchoAsync(request => request.Headers.Add("traceparent", caller.TraceParent), RawMcp.CallTool("echo", """{"message":"x"}"""));

        var spans = await WaitForToolTraceAsync(caller.TraceId);
        var http = AssertRequestTree(spans, caller);
        var mcp = Single(spans, "tools/call echo", OtlpSpan.ServerKind);
        Assert.Equal(http.SpanId, mcp.ParentSpanId);
        Assert.Equal(mcp.SpanId, Single(spans, "tool.execute.echo").ParentSpanId);
        output.WriteLine(Tree(spans));
    }

    [Fact]
    public async Task With_params_meta_only_every_server_span_sits_under_the_callers_span()
    {
        var caller = W3CTraceContext.New();
        await CallEchoAsync(_ => { }, WholeTraceRequests.WithMeta(RawMcp.CallTool("echo", """{"message":"x"}"""), caller.TraceParent));

        var spans = await WaitForToolTraceAsync(caller.TraceId);
        var http = AssertRequestTree(spans, caller);
        // The MCP span is the caller's child, as the conventions ask, and links the HTTP span.
        var mcp = Single(spans, "tools/call echo", OtlpSpan.ServerKind);
        Assert.Equal(caller.SpanId, mcp.ParentSpanId);
        Assert.Contains(http.SpanId, mcp.LinkedSpanIds);
        Assert.Equal(mcp.SpanId, Single(spans, "tool.execute.echo").ParentSpanId);
        output.WriteLine(Tree(spans));
    }

    [Fact]
    public async Task The_first_requests_discovery_and_JWKS_fetches_sit_under_its_meta_context()
    {
        var spans = await fixture.Receiver.WaitForTraceAsync(fixture.FirstRequest.TraceId,
            found => found.Any(span => span.Name == "auth.validate") && found.Any(IsHttpServerSpan)
                && found.Count(span => span.Kind == OtlpSpan.ClientKind && span.Name.StartsWith("GET", StringComparison.Ordinal)) >= 2);

        var http = Assert.Single(spans, span => span.Kind == OtlpSpan.ServerKind && span.Name.StartsWith("POST", StringComparison.Ordinal));
        Assert.Equal(fixture.FirstRequest.SpanId, http.ParentSpanId);
        var auth = Single(spans, "auth.validate");
        Assert.Equal(http.SpanId, auth.ParentSpanId);
        var fetches = spans.Where(span => span.Kind == OtlpSpan.ClientKind && span.Name.StartsWith("GET", StringComparison.Ordinal)).ToList();
        Assert.Contains(fetches, span => span.Attributes.GetValueOrDefault("url.full")?.EndsWith("/jwks", StringComparison.Ordinal) == true);
        Assert.All(fetches, fetch => Assert.Equal(auth.SpanId, fetch.ParentSpanId));
        output.WriteLine(Tree(spans));
    }

    [Fact]
    public async Task When_header_and_meta_disagree_the_header_parents_the_http_spans_and_meta_the_mcp_span()
    {
        var header = W3CTraceContext.New();
        var meta = W3CTraceContext.New();
        await CallEchoAsync(request => request.Headers.Add("traceparent", header.TraceParent),
            WholeTraceRequests.WithMeta(RawMcp.CallTool("echo", """{"message":"x"}"""), meta.TraceParent));

        // The HTTP span ends last (after the response), so the wait names it with the request's other spans.
        var httpTrace = await fixture.Receiver.WaitForTraceAsync(header.TraceId, found =>
            found.Any(span => span.Name == "EVALSHA session.touch") && found.Any(span => span.Name == "auth.validate")
            && found.Count(span => span.Name == "EVALSHA rate_limit") >= 2 && found.Any(IsHttpServerSpan));
        var mcpTrace = await fixture.Receiver.WaitForTraceAsync(meta.TraceId, found => found.Any(span => span.Name == "tool.execute.echo"));

        var http = AssertRequestTree(httpTrace, header);
        Assert.DoesNotContain(httpTrace, span => span.Name == "tools/call echo");
        var mcp = Single(mcpTrace, "tools/call echo", OtlpSpan.ServerKind);
        Assert.Equal(meta.SpanId, mcp.ParentSpanId);
        Assert.Contains(http.SpanId, mcp.LinkedSpanIds);
    }

    [Fact]
    public async Task Malformed_meta_never_gets_a_5xx()
    {
        foreach (var body in new[]
        {
            """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"_meta":"not an object","name":"echo","arguments":{"message":"x"}}}""",
            """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"_meta":{"traceparent":"00-zzzz-yyyy-01"},"name":"echo","arguments":{"message":"x"}}}""",
            """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"_meta":{"traceparent":""" + "\"" + new string('a', 100_000) + "\"" + """},"name":"echo","arguments":{"message":"x"}}}""",
            """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"_meta":{"baggage":""" + "\"" + string.Join(',', Enumerable.Range(0, 5000).Select(i => $"k{i}=v")) + "\"" + """},"name":"echo","arguments":{"message":"x"}}}""",
            """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"_meta":{"traceparent":""",
        })
        {
            using var request = RawMcp.Post(fixture.Endpoint, body, fixture.SessionId, McpTestClient.SessionProtocolVersion);
            using var response = await fixture.Http.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {body[..Math.Min(body.Length, 120)]}");
        }
    }

    /// <summary>The HTTP server span under the caller, and auth, rate limit, session touch and its Redis command under it.</summary>
    private static OtlpSpan AssertRequestTree(IReadOnlyList<OtlpSpan> spans, W3CTraceContext caller)
    {
        Assert.All(spans, span => Assert.Equal(caller.TraceId, span.TraceId));
        var http = Assert.Single(spans, span => span.Kind == OtlpSpan.ServerKind && span.Name.StartsWith("POST", StringComparison.Ordinal));
        Assert.Equal(caller.SpanId, http.ParentSpanId);
        Assert.Equal(http.SpanId, Single(spans, "auth.validate").ParentSpanId);
        // The caller's counter and one shard of the global limit, decided together (RedisMcpRateLimiter).
        var rateLimit = spans.Where(span => span.Name == "EVALSHA rate_limit").ToList();
        Assert.Equal(2, rateLimit.Count);
        Assert.All(rateLimit, span => Assert.Equal(http.SpanId, span.ParentSpanId));
        var touch = Single(spans, "session.touch");
        Assert.Equal(http.SpanId, touch.ParentSpanId);
        Assert.Equal(touch.SpanId, Single(spans, "EVALSHA session.touch").ParentSpanId);
        return http;
    }

    private async Task CallEchoAsync(Action<HttpRequestMessage> adjust, string body)
    {
        using var request = RawMcp.Post(fixture.Endpoint, body, fixture.SessionId, McpTestClient.SessionProtocolVersion);
        adjust(request);
        using var response = await fixture.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"result\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task<IReadOnlyList<OtlpSpan>> WaitForToolTraceAsync(string traceId) =>
        fixture.Receiver.WaitForTraceAsync(traceId, found =>
            found.Any(span => span.Name == "tool.execute.echo") && found.Any(span => span.Name == "EVALSHA session.touch")
            && found.Any(span => span.Name == "auth.validate") && found.Count(span => span.Name == "EVALSHA rate_limit") >= 2
            && found.Any(IsHttpServerSpan));

    private static bool IsHttpServerSpan(OtlpSpan span) => span.Kind == OtlpSpan.ServerKind && span.Name.StartsWith("POST", StringComparison.Ordinal);

    private static OtlpSpan Single(IReadOnlyList<OtlpSpan> spans, string name, int? kind = null) =>
        Assert.Single(spans, span => span.Name == name && (kind is null || span.Kind == kind));

    /// <summary>The trace as an indented tree, for the test output (and the README's examples).</summary>
    public static string Tree(IReadOnlyList<OtlpSpan> spans)
    {
        var text = new StringBuilder();
        var ids = spans.Select(span => span.SpanId).ToHashSet();
        void Write(OtlpSpan span, int depth)
        {
            var links = span.LinkedSpanIds.Count > 0 ? $"  (links {string.Join(',', span.LinkedSpanIds)})" : string.Empty;
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{new string(' ', depth * 2)}{span.Name}  [{span.SpanId}]{links}");
            foreach (var child in spans.Where(candidate => candidate.ParentSpanId == span.SpanId))
            {
                Write(child, depth + 1);
            }
        }

        foreach (var root in spans.Where(span => span.ParentSpanId is null || !ids.Contains(span.ParentSpanId)))
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"(parent {root.ParentSpanId ?? "none"})");
            Write(root, 1);
        }

        return text.ToString();
    }
}
