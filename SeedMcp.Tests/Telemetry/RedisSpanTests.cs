using System.Diagnostics;
using System.Net;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>SeedMcp's own Redis client spans: in their request's trace, under the work that ran the command, at once.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisSpanTests(RedisServerFixture redis) : IDisposable
{
    private readonly HttpClient _http = RawMcp.CreateHttpClient();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Each_redis_command_of_a_call_is_a_client_span_under_the_work_that_ran_it()
    {
        await using var server = await TracedServer.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = redis.ConnectionString,
            ["Sessions:KeyPrefix"] = "spans-" + Guid.NewGuid().ToString("N"),
            ["Sessions:TouchInterval"] = "00:00:00",
            ["RateLimiting:Enabled"] = "true",
            // Every request decided in Redis (no permit leases), so the call under test sends the rate-limit scripts.
            ["RateLimiting:LeasePermits"] = "1",
        });
        var endpoint = server.Host.McpEndpoint;
        var sessionId = await RawMcp.OpenSessionAsync(_http, endpoint);
        using var response = await _http.SendAsync(RawMcp.Post(endpoint, RawMcp.CallTool("system_status"), sessionId, McpTestClient.SessionProtocolVersion));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var tool = await server.SpanAsync(span => span.DisplayName == "tool.execute.system_status", "tool.execute.system_status");
        var inTrace = server.Spans.Where(span => span.TraceId == tool.TraceId).ToList();
        var http = Assert.Single(inTrace, span => span.Source.Name == "Microsoft.AspNetCore");
        var touch = Assert.Single(inTrace, span => span.DisplayName == "session.touch");

        // Ended with their command, so they are exported with the rest of the trace, not seconds later.
        AssertRedisSpan(Assert.Single(inTrace, span => span.DisplayName == "PING"), "PING", tool);
        AssertRedisSpan(Assert.Single(inTrace, span => span.DisplayName == "EVALSHA session.touch"), "EVALSHA", touch);
        // The caller's counter and one shard of the global limit: two one-key scripts (two cluster slots), sent together.
        var rateLimit = inTrace.Where(span => span.DisplayName == "EVALSHA rate_limit").ToList();
        Assert.Equal(2, rateLimit.Count);
        rateLimit.ForEach(span => AssertRedisSpan(span, "EVALSHA", http));
    }

    private void AssertRedisSpan(Activity span, string operation, Activity parent)
    {
        Assert.Equal(parent.SpanId, span.ParentSpanId);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("redis", span.GetTagItem("db.system.name"));
        Assert.Equal(operation, span.GetTagItem("db.operation.name"));
        Assert.Equal(new Uri("redis://" + redis.ConnectionString.Split(',')[0]).Port, span.GetTagItem("server.port"));
        Assert.NotEqual(ActivityStatusCode.Error, span.Status);
    }
}
