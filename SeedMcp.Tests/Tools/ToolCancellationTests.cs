using Microsoft.Extensions.DependencyInjection;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Tools;

/// <summary>A client's <c>notifications/cancelled</c> reaches the running tool (deadline far away).</summary>
public sealed class ToolCancellationTests
{
    [Fact]
    public async Task A_cancelled_notification_stops_the_tool()
    {
        await using var server = await ServerHost.StartAsync(configure: services =>
        {
            services.AddSingleton<SlowToolProbe>();
            services.AddMcpServer().WithTools<SlowTool>();
        });
        using var http = RawMcp.CreateHttpClient();
        var sessionId = await RawMcp.OpenSessionAsync(http, server.McpEndpoint);
        using var callAborted = new CancellationTokenSource();
        var call = http.SendAsync(
            RawMcp.Post(server.McpEndpoint, RawMcp.CallTool("wait", """{"milliseconds":20000}""", id: 5), sessionId, McpTestClient.SessionProtocolVersion),
            callAborted.Token);
        await Task.Delay(300);

        using var cancelled = await http.SendAsync(RawMcp.Post(server.McpEndpoint,
            """{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":5,"reason":"user pressed stop"}}""",
            sessionId, McpTestClient.SessionProtocolVersion));

        Assert.Equal(System.Net.HttpStatusCode.Accepted, cancelled.StatusCode);
        // Well before its own 20 s and the 30 s deadline: only the cancellation can have stopped it.
        await server.Services.GetRequiredService<SlowToolProbe>().Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        // A cancelled request gets no response (MCP); the client gives up its POST.
        await callAborted.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }
}
