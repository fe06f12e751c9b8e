using System.Diagnostics;
using System.Net;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Reliability;

/// <summary>
/// Redis stops mid-run and comes back (append-only persistence on, as the AppHost runs it): the server stays up, says
/// so on /health, answers session requests with a clear retryable 503 meanwhile (once Sessions:StoreRetryBudget is spent), and recovers by itself — with the
/// sessions written before the outage.
/// </summary>
public sealed class RedisOutageTests : IDisposable
{
    private static readonly TimeSpan StoreRetryBudget = TimeSpan.FromSeconds(2);

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("seedmcp-redis-outage-").FullName;

    [Fact]
    public async Task The_server_rides_out_a_redis_outage_and_keeps_its_sessions()
    {
        var port = FreePort.Next();
        var redis = StartRedis(port);
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = $"127.0.0.1:{port},abortConnect=false,connectTimeout=500,syncTimeout=1000,asyncTimeout=1000",
            ["RateLimiting:Enabled"] = "false",
            ["Sessions:StoreRetryBudget"] = StoreRetryBudget.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        });
        using var http = RawMcp.CreateHttpClient();
        await WaitForHealthAsync(http, server, HttpStatusCode.OK);
        var sessionId = await RawMcp.OpenSessionAsync(http, server.McpEndpoint);

        await StopAsync(redis);
        await WaitForHealthAsync(http, server, HttpStatusCode.ServiceUnavailable);
        var asked = Stopwatch.StartNew();
        using (var during = await http.SendAsync(RawMcp.Post(server.McpEndpoint, RawMcp.CallTool("echo", """{"message":"x"}"""), sessionId, McpTestClient.SessionProtocolVersion)))
        {
            // The store retried for its whole budget (a failover would have been ridden out), then gave up: bounded.
            Assert.InRange(asked.Elapsed, StoreRetryBudget - TimeSpan.FromMilliseconds(100), StoreRetryBudget + TimeSpan.FromSeconds(3));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
            Assert.NotNull(during.Headers.RetryAfter);
            Assert.Contains("Retry", (await RawMcp.ReadMessageAsync(during)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        redis = StartRedis(port);
        try
        {
            var recovered = Stopwatch.StartNew();
            await WaitForHealthAsync(http, server, HttpStatusCode.OK);
            Assert.True(recovered.Elapsed < TimeSpan.FromSeconds(20), $"healthy again only after {recovered.Elapsed}");

            using var after = await http.SendAsync(RawMcp.Post(server.McpEndpoint, RawMcp.CallTool("echo", """{"message":"after"}"""), sessionId, McpTestClient.SessionProtocolVersion));
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.Equal("after", (await RawMcp.ReadMessageAsync(after)).GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        }
        finally
        {
            await StopAsync(redis);
        }
    }

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    private ChildProcess StartRedis(int port) =>
        ChildProcess.Start(RedisProcess.Executable, RedisProcess.Arguments(port, appendOnlyDirectory: _dataDirectory), new Dictionary<string, string?>());

    private static async Task StopAsync(ChildProcess redis)
    {
        redis.Terminate();
        await redis.WaitForExitAsync(TimeSpan.FromSeconds(15));
        await redis.DisposeAsync();
    }

    private static async Task WaitForHealthAsync(HttpClient http, ServerHost server, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        HttpStatusCode last = default;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync(new Uri(server.BaseAddress, "health"));
            last = response.StatusCode;
            if (last == expected)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"/health stayed {(int)last}, never {(int)expected}.");
    }
}
