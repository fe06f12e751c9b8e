using System.Text.Json;
using ModelContextProtocol.Protocol;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>
/// The server's own metrics on <c>/metrics</c>, after real calls. The server runs as its own process: in the test
/// process, OpenTelemetry's MeterProvider subscribes to meters by name, so a neighbouring in-process host's gauge of
/// the same name shares (and, when that host stops, ends) this host's series.
/// </summary>
public sealed class ServerMetricsTests
{
    [Fact]
    public async Task Tool_calls_are_counted_by_tool_and_outcome_and_sessions_are_gauged()
    {
        var (process, baseAddress) = await ServerProcess.StartAsync(new Dictionary<string, string?>());
        await using var server = process;
        await using var client = await McpTestClient.ConnectAsync(new Uri(baseAddress, "mcp"));
        using var http = RawMcp.CreateHttpClient();

        await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "ok" });
        await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "ok again" });
        await client.CallToolAsync(new CallToolRequestParams { Name = "echo", Arguments = new Dictionary<string, JsonElement>() });

        Assert.Equal(2, await PrometheusScrape.WaitForSampleAsync(http, baseAddress, """seedmcp_tool_calls_total{[^}]*outcome="ok"[^}]*tool="echo"[^}]*}""", 2));
        Assert.Equal(1, await PrometheusScrape.WaitForSampleAsync(http, baseAddress, """seedmcp_tool_calls_total{[^}]*outcome="error"[^}]*tool="echo"[^}]*}""", 1));
        // One client, one session: the gauge settles at exactly 1.
        Assert.Equal(1, await PrometheusScrape.WaitForSampleAsync(http, baseAddress, """seedmcp_sessions_active(?:{[^}]*})?""", 1));
    }
}
