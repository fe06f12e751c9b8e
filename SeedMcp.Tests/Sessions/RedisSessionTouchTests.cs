using System.Diagnostics;
using System.Globalization;
using System.Net;
using SeedMcp.Server.Redis;
using SeedMcp.Server.Sessions;
using SeedMcp.Server.Telemetry;
using SeedMcp.Tests.Support;
using StackExchange.Redis;

namespace SeedMcp.Tests.Sessions;

/// <summary>
/// Over HTTP with Redis: within <c>Sessions:TouchInterval</c> a replica answers a session's calls from memory — every
/// call still has its <c>session.touch</c> span, a <c>cache.hit</c> that ran no Redis command — and a DELETE through
/// the replica takes effect at once.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisSessionTouchTests(RedisServerFixture redis) : IDisposable
{
    private readonly HttpClient _http = RawMcp.CreateHttpClient();
    private readonly string _keyPrefix = "touch-" + Guid.NewGuid().ToString("N");

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Calls_within_the_interval_are_answered_from_memory_without_a_redis_command()
    {
        await using var server = await TracedServer.StartAsync(Settings(touchInterval: "00:01:00"));
        var sessionId = await RawMcp.OpenSessionAsync(_http, server.Host.McpEndpoint);
        var createdAccess = await LastAccessAsync(sessionId);
        var scriptsBefore = await ScriptCallsAsync();

        var expiries = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await CallAsync(server.Host.McpEndpoint, sessionId);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            expiries.Add(response.Headers.GetValues("X-Session-Expires-At").Single());
        }

        var touches = await TouchSpansAsync(server, sessionId, 2);
        Assert.All(touches, touch =>
        {
            var hit = Assert.Single(touch.Events, spanEvent => spanEvent.Name == SeedMcpTelemetry.Events.CacheHit);
            Assert.Equal(new RedisKeys(_keyPrefix).Session(sessionId).ToString(), hit.Tags.Single(tag => tag.Key == SeedMcpTelemetry.Attributes.CacheKey).Value);
            Assert.Equal(3600L, hit.Tags.Single(tag => tag.Key == SeedMcpTelemetry.Attributes.CacheTtl).Value);
            Assert.Equal(true, touch.GetTagItem(SeedMcpTelemetry.Attributes.SessionFound));
        });
        Assert.Equal(scriptsBefore, await ScriptCallsAsync()); // no touch script ran
        Assert.Equal(createdAccess, await LastAccessAsync(sessionId));
        Assert.Single(expiries.Distinct()); // the record's expiry, unchanged since no touch reached Redis
    }

    [Fact]
    public async Task With_the_interval_at_zero_every_call_touches_redis()
    {
        await using var server = await TracedServer.StartAsync(Settings(touchInterval: "00:00:00"));
        var sessionId = await RawMcp.OpenSessionAsync(_http, server.Host.McpEndpoint);
        var createdAccess = await LastAccessAsync(sessionId);
        var scriptsBefore = await ScriptCallsAsync();
        await Task.Delay(5); // last access is in milliseconds

        for (var i = 0; i < 2; i++)
        {
            using var response = await CallAsync(server.Host.McpEndpoint, sessionId);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The initialized notification and the call.
        var touches = await TouchSpansAsync(server, sessionId, 2);
        Assert.All(touches, touch => Assert.Contains(touch.Events, spanEvent => spanEvent.Name == SeedMcpTelemetry.Events.CacheHit));
        Assert.True(await LastAccessAsync(sessionId) > createdAccess);
        Assert.Equal(scriptsBefore + 2, await ScriptCallsAsync());
    }

    [Fact]
    public async Task A_session_deleted_through_this_replica_is_gone_at_once()
    {
        await using var server = await TracedServer.StartAsync(Settings(touchInterval: "00:01:00"));
        var sessionId = await RawMcp.OpenSessionAsync(_http, server.Host.McpEndpoint);
        using (var first = await CallAsync(server.Host.McpEndpoint, sessionId))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var delete = new HttpRequestMessage(HttpMethod.Delete, server.Host.McpEndpoint);
        delete.Headers.Add(RawMcp.SessionIdHeader, sessionId);
        using var deleted = await _http.SendAsync(delete);
        using var after = await CallAsync(server.Host.McpEndpoint, sessionId);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    private Dictionary<string, string?> Settings(string touchInterval) => new()
    {
        ["ConnectionStrings:cache"] = redis.ConnectionString,
        ["Sessions:KeyPrefix"] = _keyPrefix,
        ["Sessions:TouchInterval"] = touchInterval,
        ["RateLimiting:Enabled"] = "false",
    };

    private Task<HttpResponseMessage> CallAsync(Uri endpoint, string sessionId) =>
        _http.SendAsync(RawMcp.Post(endpoint, RawMcp.CallTool("echo", """{"message":"x"}"""), sessionId, McpTestClient.SessionProtocolVersion));

    private async Task<long> LastAccessAsync(string sessionId) =>
        long.Parse((string?)await redis.Connection.GetDatabase().HashGetAsync(new RedisKeys(_keyPrefix).Session(sessionId).ToString(), "lastAccess") ?? "0",
            CultureInfo.InvariantCulture);

    private static async Task<List<Activity>> TouchSpansAsync(TracedServer server, string sessionId, int count)
    {
        await Eventually.GetAsync(() => TouchSpans(server, sessionId).Count >= count ? "" : null, $"{count} session.touch spans");
        return TouchSpans(server, sessionId);
    }

    private static List<Activity> TouchSpans(TracedServer server, string sessionId) =>
        server.Spans
            .Where(span => span.OperationName == SeedMcpTelemetry.Spans.SessionTouch && (string?)span.GetTagItem(SeedMcpTelemetry.Attributes.SessionId) == sessionId)
            .ToList();

    /// <summary>
    /// Lua script runs (EVAL, EVALSHA) the shared redis-server has served. Tests of one collection run one at a time,
    /// and rate limiting, the only other script user, is off here.
    /// </summary>
    private async Task<long> ScriptCallsAsync()
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints().Single());
        var stats = (await server.InfoAsync("commandstats")).SelectMany(group => group).ToList();
        return stats.Where(stat => stat.Key is "cmdstat_eval" or "cmdstat_evalsha")
            .Sum(stat => long.Parse(stat.Value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture));
    }
}
