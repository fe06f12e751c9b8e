using System.Diagnostics;
using System.Net;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using SeedMcp.Server.Telemetry;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>The tracing switches: what turns telemetry off, what it may record, and how it samples.</summary>
public sealed class TracingSettingsTests
{
    [Theory]
    [InlineData("OTEL_ENABLED", "false")]
    [InlineData("OTEL_SDK_DISABLED", "true")]
    public async Task With_telemetry_off_the_server_still_serves_and_records_nothing(string key, string value)
    {
        await using var server = await TracedServer.StartAsync(new Dictionary<string, string?> { [key] = value });
        await using var client = await McpTestClient.ConnectAsync(server.Host.McpEndpoint);

        var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "dark" });
        await Task.Delay(300);

        Assert.NotEqual(true, result.IsError);
        Assert.Empty(server.Spans);
    }

    [Fact]
    public async Task Tool_arguments_are_recorded_only_when_enabled_and_truncated()
    {
        await using var server = await TracedServer.StartAsync(new Dictionary<string, string?>
        {
            ["Telemetry:RecordToolArguments"] = "true",
            ["Telemetry:ToolArgumentsMaxLength"] = "20",
        });
        await using var client = await McpTestClient.ConnectAsync(server.Host.McpEndpoint);

        await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = new string('x', 100) });

        var span = await server.SpanAsync(candidate => candidate.DisplayName == "tool.execute.echo", "tool.execute.echo");
        Assert.Equal("""{"message":"xxxxxxxx…""", span.GetTagItem("tool.arguments"));
    }

    [Fact]
    public void Pseudonymised_user_ids_are_stable_and_hide_the_subject()
    {
        var first = TelemetryUserId.Format("alice@example.com", pseudonymize: true);

        Assert.StartsWith("sha256:", first, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", first, StringComparison.Ordinal);
        Assert.Equal(first, TelemetryUserId.Format("alice@example.com", pseudonymize: true));
        Assert.NotEqual(first, TelemetryUserId.Format("bob@example.com", pseudonymize: true));
        Assert.Equal("anonymous", TelemetryUserId.Format("anonymous", pseudonymize: true));
    }

    [Fact]
    public async Task A_ratio_sampler_of_zero_drops_root_spans_but_follows_a_sampled_parent()
    {
        await using var server = await TracedServer.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio",
            ["OTEL_TRACES_SAMPLER_ARG"] = "0",
        });
        using var http = RawMcp.CreateHttpClient();
        var sessionId = await RawMcp.OpenSessionAsync(http, server.Host.McpEndpoint);

        using (var unsampled = RawMcp.Post(server.Host.McpEndpoint, RawMcp.CallTool("echo", """{"message":"a"}"""), sessionId, McpTestClient.SessionProtocolVersion))
        {
            (await http.SendAsync(unsampled)).Dispose();
        }

        var parent = W3CTraceContext.New();
        using var sampled = RawMcp.Post(server.Host.McpEndpoint, RawMcp.CallTool("echo", """{"message":"b"}"""), sessionId, McpTestClient.SessionProtocolVersion);
        sampled.Headers.Add("traceparent", parent.TraceParent);
        (await http.SendAsync(sampled)).Dispose();

        await server.SpanAsync(span => span.DisplayName == "tool.execute.echo", "the sampled tool span");
        Assert.All(server.Spans, span => Assert.Equal(parent.TraceId, span.TraceId.ToHexString()));
    }
}
