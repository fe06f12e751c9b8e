using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>The <c>tool.execute.&lt;tool&gt;</c> spans, checked with an in-memory exporter against the real server.</summary>
public sealed class ToolSpanTests : IAsyncLifetime
{
    private TracedServer _server = null!;
    private McpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TracedServer.StartAsync(configure: services => services.AddMcpServer().WithTools<FailingTool>());
        _client = await McpTestClient.ConnectAsync(_server.Host.McpEndpoint);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_tool_runs_in_a_tool_execute_span_under_the_sdk_tools_call_span()
    {
        await _client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "top secret argument" });

        var toolSpan = await _server.SpanAsync(span => span.DisplayName == "tool.execute.echo", "tool.execute.echo");
        var sdkSpan = await _server.SpanAsync(span => span.DisplayName == "tools/call echo" && span.Kind == ActivityKind.Server, "tools/call echo");

        Assert.Equal(sdkSpan.SpanId, toolSpan.ParentSpanId);
        Assert.Equal(sdkSpan.TraceId, toolSpan.TraceId);
        Assert.Equal(ActivityKind.Internal, toolSpan.Kind);
        Assert.Equal(ActivityStatusCode.Ok, toolSpan.Status);
        Assert.Equal("echo", toolSpan.GetTagItem("tool.name"));
        Assert.Equal("anonymous", toolSpan.GetTagItem("user.id"));
        Assert.Equal(_client.SessionId, toolSpan.GetTagItem("session.id"));
        Assert.Equal("execute_tool", toolSpan.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("echo", toolSpan.GetTagItem("gen_ai.tool.name"));
        // The session id the client holds, on the SDK's span too (the SDK itself writes a GUID of its own there).
        Assert.Equal(_client.SessionId, sdkSpan.GetTagItem("mcp.session.id"));
        Assert.Null(toolSpan.GetTagItem("mcp.transport.session.id"));
        Assert.Null(sdkSpan.GetTagItem("mcp.transport.session.id"));
        Assert.DoesNotContain(toolSpan.TagObjects, tag => tag.Value?.ToString()?.Contains("top secret", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(sdkSpan.TagObjects, tag => tag.Value?.ToString()?.Contains("top secret", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_throwing_tool_marks_its_span_error_with_the_exception()
    {
        var result = await _client.CallToolAsync("explode", new Dictionary<string, object?> { ["reason"] = "test" });

        Assert.True(result.IsError);
        var span = await _server.SpanAsync(candidate => candidate.DisplayName == "tool.execute.explode", "tool.execute.explode");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("exploded: test", span.StatusDescription);
        Assert.Equal(typeof(InvalidOperationException).FullName, span.GetTagItem("error.type"));
        var exception = Assert.Single(span.Events, e => e.Name == "exception");
        Assert.Equal(typeof(InvalidOperationException).FullName, exception.Tags.First(tag => tag.Key == "exception.type").Value);
    }

    [Fact]
    public async Task A_tool_error_result_counts_as_an_error_too()
    {
        var result = await _client.CallToolAsync(new CallToolRequestParams
        {
            Name = "echo",
            Arguments = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{"message":1}"""),
        });

        Assert.True(result.IsError);
        var span = await _server.SpanAsync(candidate => candidate.DisplayName == "tool.execute.echo" && candidate.Status == ActivityStatusCode.Error, "failed tool.execute.echo");
        Assert.Equal("tool_error", span.GetTagItem("error.type"));
        Assert.Contains("must be a string", span.StatusDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task System_status_collects_metrics_in_its_own_span()
    {
        await _client.CallToolAsync("system_status");

        var tool = await _server.SpanAsync(span => span.DisplayName == "tool.execute.system_status", "tool.execute.system_status");
        var collect = await _server.SpanAsync(span => span.DisplayName == "metrics.collect", "metrics.collect");
        Assert.Equal(tool.SpanId, collect.ParentSpanId);
    }
}
