using System.Text.Json;
using ModelContextProtocol.Protocol;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>The server's own metrics on <c>/metrics</c>, after real calls.</summary>
public sealed class ServerMetricsTests
{
    [Fact]
    public async Task Tool_calls_are_counted_by_tool_and_outcome_and_sessions_are_gauged()
    {
        await using var server = await ServerHost.StartAsync();
        await using var client = await McpTestClient.ConnectAsync(server.McpEndpoint);
        using var http = RawMcp.CreateHttpClient();

        await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "ok" });
        await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "ok again" });
        await client.CallToolAsync(new CallToolRequestParams { Name = "echo", Arguments = new Dictionary<string, JsonElement>() });

        Assert.Equal(2, await PrometheusScrape.WaitForSampleAsync(http, server.BaseAddress, """seedmcp_tool_calls_total{[^}]*outcome="ok"[^}]*tool="echo"[^}]*}""", 2));
        Assert.Equal(1, await PrometheusScrape.WaitForSampleAsync(http, server.BaseAddress, """seedmcp_tool_calls_total{[^}]*outcome="error"[^}]*tool="echo"[^}]*}""", 1));
        Assert.True(await PrometheusScrape.WaitForSampleAsync(http, server.BaseAddress, """seedmcp_sessions_active(?:{[^}]*})?""", 1) >= 1);
    }
}
