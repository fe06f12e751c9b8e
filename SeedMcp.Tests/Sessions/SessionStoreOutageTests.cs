using System.Diagnostics;
using System.Net;
using SeedMcp.Server.Sessions;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Sessions;

/// <summary>A new session while Redis is gone: after the store's retry budget, the same retryable 503 as for existing sessions, never a 500.</summary>
public sealed class SessionStoreOutageTests
{
    [Fact]
    public async Task Initialize_while_redis_is_down_gets_503_with_retry_after()
    {
        var redis = new RedisServerFixture();
        await redis.InitializeAsync();
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = redis.ConnectionString + ",abortConnect=false,connectTimeout=500,syncTimeout=1000,asyncTimeout=1000",
            ["RateLimiting:Enabled"] = "false",
        });
        using var http = RawMcp.CreateHttpClient();
        await RawMcp.OpenSessionAsync(http, server.McpEndpoint);

        await redis.DisposeAsync(); // the redis-server process is killed
        var asked = Stopwatch.StartNew();
        using var response = await http.SendAsync(RawMcp.Post(server.McpEndpoint, RawMcp.Initialize()));

        // Retried for the default Sessions:StoreRetryBudget (long enough for a failover), then refused: bounded.
        var budget = new McpSessionOptions().StoreRetryBudget;
        Assert.InRange(asked.Elapsed, budget - TimeSpan.FromMilliseconds(100), budget + TimeSpan.FromSeconds(3));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("session store", (await RawMcp.ReadMessageAsync(response)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
