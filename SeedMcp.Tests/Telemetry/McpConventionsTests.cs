using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using ModelContextProtocol.Client;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>
/// The exported spans and metrics held against OpenTelemetry's MCP semantic conventions
/// (open-telemetry/semantic-conventions-genai: <c>model/mcp/spans.yaml</c>, <c>common.yaml</c>, <c>registry.yaml</c>,
/// <c>metrics.yaml</c>; <c>docs/gen-ai/mcp.md</c>). The table below is taken from their text, so an SDK upgrade that
/// drops, renames or mis-values an attribute fails here. Read back from a real OTLP receiver.
/// </summary>
[Collection(WholeTraceCollection.Name)]
public sealed partial class McpConventionsTests(WholeTraceFixture fixture)
{
    private const string Absent = "<absent>";
    private const string Any = "<any>";

    /// <summary>The attributes of the dashboard's <c>SpanType.GenAI</c> filter: a span with any of them, non-empty, matches.</summary>
    private static readonly string[] DashboardGenAiFilterKeys = ["gen_ai.system", "gen_ai.provider.name", "gen_ai.operation.name"];

    /// <summary>
    /// The <c>mcp.server</c> span of a successful <c>tools/call echo</c> in a session, attribute by attribute:
    /// key, requirement level in the conventions, the value expected (<see cref="Any"/>: present; <see cref="Absent"/>: not set).
    /// </summary>
    private static (string Key, string Level, string Expected)[] ToolCallServerSpan(string sessionId) =>
    [
        ("mcp.method.name", "required", "tools/call"),
        ("gen_ai.tool.name", "conditionally_required: operation related to a tool", "echo"),
        ("jsonrpc.request.id", "conditionally_required: a request", "2"),
        ("error.type", "conditionally_required: if and only if the operation fails", Absent),
        ("rpc.response.status_code", "conditionally_required: response contains an error code", Absent),
        ("gen_ai.operation.name", "recommended: execute_tool for a tool call", "execute_tool"),
        ("mcp.protocol.version", "recommended", "2025-11-25"),
        ("mcp.session.id", "recommended: part of a session (the Mcp-Session-Id)", sessionId),
        ("network.transport", "recommended: tcp or quic over HTTP", "tcp"),
        ("network.protocol.name", "recommended: when applicable", "http"),
        ("network.protocol.version", "recommended: when applicable", "1.1"),
        ("client.address", "recommended: if applicable", "127.0.0.1"),
        ("client.port", "recommended: when client.address is set", Any),
    ];

    [Fact]
    public async Task A_tool_calls_server_span_has_the_conventions_name_kind_and_attributes()
    {
        var spans = await SendAsync(RawMcp.CallTool("echo", """{"message":"conventions"}"""), "tool.execute.echo");

        var server = Assert.Single(spans, span => span.Name == "tools/call echo" && span.Kind == OtlpSpan.ServerKind);
        // Name: "{mcp.method.name} {target}", target = gen_ai.tool.name; kind SERVER.
        Assert.Equal($"{server.Attributes["mcp.method.name"]} {server.Attributes["gen_ai.tool.name"]}", server.Name);
        Assert.NotEqual(OtlpSpan.ErrorStatus, server.StatusCode);
        var mismatches = ToolCallServerSpan(fixture.SessionId)
            .Where(row => !Matches(server.Attributes.GetValueOrDefault(row.Key), row.Expected))
            .Select(row => $"{row.Key} ({row.Level}): expected {row.Expected}, got {server.Attributes.GetValueOrDefault(row.Key) ?? Absent}")
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.Matches("^[0-9]+$", server.Attributes["client.port"]);

        // The seed's own tool span: GenAI execute_tool attributes next to tool.name, user.id, session.id.
        var tool = Assert.Single(spans, span => span.Name == "tool.execute.echo");
        Assert.Equal("execute_tool", tool.Attributes["gen_ai.operation.name"]);
        Assert.Equal("echo", tool.Attributes["gen_ai.tool.name"]);
        Assert.Equal("echo", tool.Attributes["tool.name"]);
        Assert.Equal(fixture.SessionId, tool.Attributes["session.id"]);
        Assert.StartsWith("sha256:", tool.Attributes["user.id"], StringComparison.Ordinal);
        Assert.False(tool.Attributes.ContainsKey("mcp.transport.session.id"));

        // The HTTP server span: client.address and client.port, network.protocol.version.
        var http = Assert.Single(spans, span => span.Kind == OtlpSpan.ServerKind && span.Name.StartsWith("POST", StringComparison.Ordinal));
        Assert.Equal("127.0.0.1", http.Attributes["client.address"]);
        Assert.Matches("^[0-9]+$", http.Attributes["client.port"]);
        Assert.Equal("1.1", http.Attributes["network.protocol.version"]);
    }

    /// <summary>
    /// What the Aspire dashboard (13.6.5) keys its GenAI features on, read from its source (microsoft/aspire,
    /// <c>src/Aspire.Dashboard/Model/SpanType.cs</c> and <c>Model/GenAI/GenAIHelpers.cs</c>) and checked in the real
    /// dashboard: the Traces page's <i>Type: Gen AI</i> filter takes a span with a non-empty <c>gen_ai.system</c>,
    /// <c>gen_ai.provider.name</c> or <c>gen_ai.operation.name</c>; the <i>GenAI details</i> view (the sparkle button)
    /// only one with <c>gen_ai.system</c> or <c>gen_ai.provider.name</c>, the model provider, which the conventions give
    /// model and agent calls and neither <c>execute_tool</c> nor <c>mcp.server</c> spans.
    /// </summary>
    [Fact]
    public async Task A_tool_call_is_what_the_dashboards_gen_ai_filter_finds_and_names_no_model_provider()
    {
        var spans = await SendAsync(RawMcp.CallTool("echo", """{"message":"dashboard"}"""), "tool.execute.echo");

        var toolCall = new[]
        {
            Assert.Single(spans, span => span.Name == "tools/call echo" && span.Kind == OtlpSpan.ServerKind),
            Assert.Single(spans, span => span.Name == "tool.execute.echo"),
        };
        Assert.All(toolCall, span =>
        {
            Assert.True(MatchesDashboardGenAiFilter(span), $"{span.Name}: no gen_ai.operation.name, so Type: Gen AI would not find the tool call");
            Assert.Equal("execute_tool", span.Attributes["gen_ai.operation.name"]);
            Assert.False(OpensDashboardGenAiDetails(span), $"{span.Name}: a model provider on a tool execution would show it as an LLM call");
        });

        // Nothing else in the request claims to be GenAI: the filter finds the tool call, not the HTTP, auth or Redis spans.
        Assert.All(spans.Except(toolCall), span => Assert.False(MatchesDashboardGenAiFilter(span), span.Name));
    }

    [Fact]
    public async Task A_non_tool_request_has_no_gen_ai_operation_name()
    {
        var spans = await SendAsync("""{"jsonrpc":"2.0","id":3,"method":"tools/list","params":{}}""", "tools/list");

        var server = Assert.Single(spans, span => span.Name == "tools/list" && span.Kind == OtlpSpan.ServerKind);
        Assert.Equal("tools/list", server.Attributes["mcp.method.name"]);
        Assert.Equal(fixture.SessionId, server.Attributes["mcp.session.id"]);
        // "SHOULD be set to execute_tool when the operation describes a tool call and SHOULD NOT be set otherwise."
        Assert.False(server.Attributes.ContainsKey("gen_ai.operation.name"));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"no_such_tool","arguments":{}}}""", "tools/call no_such_tool", "-32602")]
    [InlineData("""{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":42}}""", "tools/call", "-32602")]
    [InlineData("""{"jsonrpc":"2.0","id":6,"method":"no/such/method","params":{}}""", "no/such/method", "-32601")]
    public async Task A_caller_mistake_is_no_error_on_any_span_but_error_type_names_its_code(string body, string spanName, string code)
    {
        var spans = await SendAsync(body, spanName);

        var server = Assert.Single(spans, span => span.Name == spanName && span.Kind == OtlpSpan.ServerKind);
        Assert.Equal(code, server.Attributes["rpc.response.status_code"]);
        Assert.Equal(code, server.Attributes["error.type"]);
        Assert.All(spans, span => Assert.NotEqual(OtlpSpan.ErrorStatus, span.StatusCode));
    }

    [Fact]
    public async Task A_sessionless_request_carries_no_mcp_session_id()
    {
        // The test process listens to the SDK's source, so its client makes a CLIENT span and sends it in params._meta.
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Experimental.ModelContextProtocol",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var caller = new Activity("sessionless caller").SetIdFormat(ActivityIdFormat.W3C).Start();
        await using (var client = await McpTestClient.ConnectAsync(fixture.Endpoint, McpTestClient.SessionlessProtocolVersion, fixture.Http))
        {
            await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "stateless" }).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        }

        caller.Stop();
        var spans = await fixture.Receiver.WaitForTraceAsync(caller.TraceId.ToHexString(), found => found.Any(span => span.Name == "tool.execute.echo"));

        var server = Assert.Single(spans, span => span.Name == "tools/call echo" && span.Kind == OtlpSpan.ServerKind);
        Assert.Equal("2026-07-28", server.Attributes["mcp.protocol.version"]);
        Assert.False(server.Attributes.ContainsKey("mcp.session.id"), "the conventions say MUST NOT for 2026-07-28 requests");
        Assert.Equal("unknown", Assert.Single(spans, span => span.Name == "tool.execute.echo").Attributes["session.id"]);
    }

    [Fact]
    public async Task The_mcp_server_operation_metric_has_the_conventions_attributes_and_no_session_id()
    {
        await SendAsync(RawMcp.CallTool("echo", """{"message":"metric"}"""), "tool.execute.echo");

        using var http = RawMcp.CreateHttpClient();
        await PrometheusScrape.WaitForSampleAsync(http, fixture.BaseAddress, @"mcp_server_operation_duration_seconds_count\{[^}]*gen_ai_tool_name=""echo""[^}]*\}", 1);
        var scrape = await http.GetStringAsync(new Uri(fixture.BaseAddress, "metrics"));
        var series = SeriesLine().Matches(scrape).Select(match => match.Value).Where(line => line.Contains("gen_ai_tool_name=\"echo\"", StringComparison.Ordinal) && !line.Contains("error_type", StringComparison.Ordinal)).First();
        foreach (var label in new[] { "mcp_method_name=\"tools/call\"", "gen_ai_operation_name=\"execute_tool\"", "mcp_protocol_version=\"2025-11-25\"", "network_transport=\"tcp\"", "network_protocol_name=\"http\"" })
        {
            Assert.Contains(label, series, StringComparison.Ordinal);
        }

        // metrics.yaml lists no mcp.session.id: a per-session label would be unbounded cardinality.
        Assert.DoesNotContain("mcp_session_id", scrape, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<OtlpSpan>> SendAsync(string body, string waitFor)
    {
        var caller = W3CTraceContext.New();
        using var request = RawMcp.Post(fixture.Endpoint, body, fixture.SessionId, McpTestClient.SessionProtocolVersion);
        request.Headers.Add("traceparent", caller.TraceParent);
        using var response = await fixture.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsStringAsync();
        return await fixture.Receiver.WaitForTraceAsync(caller.TraceId, found =>
            found.Any(span => span.Name == waitFor) && found.Any(span => span.Kind == OtlpSpan.ServerKind && span.Name.StartsWith("POST", StringComparison.Ordinal)));
    }

    /// <summary>The dashboard's <c>SpanType.GenAI</c> filter.</summary>
    private static bool MatchesDashboardGenAiFilter(OtlpSpan span) =>
        DashboardGenAiFilterKeys.Any(key => !string.IsNullOrEmpty(span.Attributes.GetValueOrDefault(key)));

    /// <summary>The dashboard's <c>GenAIHelpers.HasGenAIAttribute</c>: <c>gen_ai.system</c>, else <c>gen_ai.provider.name</c>, non-empty.</summary>
    private static bool OpensDashboardGenAiDetails(OtlpSpan span) =>
        !string.IsNullOrEmpty(span.Attributes.GetValueOrDefault("gen_ai.system") ?? span.Attributes.GetValueOrDefault("gen_ai.provider.name"));

    private static bool Matches(string? actual, string expected) => expected switch
    {
        Absent => actual is null,
        Any => actual is not null,
        _ => actual == expected,
    };

    [GeneratedRegex(@"^mcp_server_operation_duration_seconds_count\{[^\n]*$", RegexOptions.Multiline)]
    private static partial Regex SeriesLine();
}
