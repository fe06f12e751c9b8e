using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SeedMcp.Tests.Support;
using SeedMcp.Tests.Tools;

namespace SeedMcp.Tests.Reliability;

/// <summary>Stopping (what SIGTERM starts): requests in flight finish, new ones and health get 503 while draining.</summary>
public sealed class DrainingTests
{
    [Fact]
    public async Task While_draining_in_flight_calls_finish_and_new_work_is_refused_with_503()
    {
        var server = await ServerHost.StartAsync(
            new Dictionary<string, string?> { ["Shutdown:DrainDelay"] = "00:00:02" },
            services =>
            {
                services.AddSingleton<SlowToolProbe>();
                services.AddMcpServer().WithTools<SlowTool>();
            });
        await using var _ = server;
        using var http = RawMcp.CreateHttpClient();
        var sessionId = await RawMcp.OpenSessionAsync(http, server.McpEndpoint);

        var inFlight = http.SendAsync(RawMcp.Post(server.McpEndpoint, RawMcp.CallTool("wait", """{"milliseconds":1000}"""), sessionId, McpTestClient.SessionProtocolVersion));
        await Task.Delay(200);
        var stopping = server.StopAsync();
        await Task.Delay(200);

        using var health = await http.GetAsync(new Uri(server.BaseAddress, "health"));
        using var alive = await http.GetAsync(new Uri(server.BaseAddress, "alive"));
        using var refused = await http.SendAsync(RawMcp.Post(server.McpEndpoint, RawMcp.CallTool("echo", """{"message":"late"}"""), sessionId, McpTestClient.SessionProtocolVersion));
        using var finished = await inFlight;
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        Assert.Contains("shutting down", (await RawMcp.ReadMessageAsync(refused)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        Assert.Equal("done", (await RawMcp.ReadMessageAsync(finished)).GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
    }
}
