using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SeedMcp.Tests.Auth;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Sessions;

/// <summary>
/// Sessions:MaxInProcess: with Redis, sessions beyond it are let go by the MCP SDK and restored from Redis at their
/// next request; without Redis, new sessions are refused at the cap instead of losing old ones.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class InProcessSessionCapTests(RedisServerFixture redis) : IDisposable
{
    private const int Cap = 3;

    private readonly HttpClient _http = RawMcp.CreateHttpClient();
    private readonly CapturedLogs _logs = new();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task With_redis_more_sessions_than_the_cap_all_answer_and_the_oldest_comes_back_from_redis()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = redis.ConnectionString,
            ["Sessions:KeyPrefix"] = "cap-" + Guid.NewGuid().ToString("N"),
            ["Sessions:MaxInProcess"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:ModelContextProtocol"] = "Information", // the SDK says which session it let go
        }, services => services.AddLogging(logging => logging.AddProvider(_logs)));

        var sessions = new List<string>();
        for (var i = 0; i < Cap + 3; i++)
        {
            sessions.Add(await RawMcp.OpenSessionAsync(_http, server.McpEndpoint));
        }

        // The SDK let the oldest go to make room (it logs MaxIdleSessionCount), and had not restored it yet.
        var oldest = sessions[0];
        Assert.Contains(_logs.Records, record => record.Contains("MaxIdleSessionCount", StringComparison.Ordinal) && record.Contains(oldest, StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Records, record => record.Contains("restored", StringComparison.Ordinal) && record.Contains(oldest, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, await EchoAsync(server.McpEndpoint, oldest));
        Assert.Contains(_logs.Records, record => record.Contains($"MCP session {oldest} restored from the redis session store", StringComparison.Ordinal));
        foreach (var sessionId in sessions)
        {
            Assert.Equal(HttpStatusCode.OK, await EchoAsync(server.McpEndpoint, sessionId));
        }
    }

    [Fact]
    public async Task Without_redis_a_session_beyond_the_cap_is_refused_and_the_old_ones_keep_working()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sessions:MaxInProcess"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var sessions = new List<string>();
        for (var i = 0; i < Cap; i++)
        {
            sessions.Add(await RawMcp.OpenSessionAsync(_http, server.McpEndpoint));
        }

        using var refused = await _http.SendAsync(RawMcp.Post(server.McpEndpoint, RawMcp.Initialize()));
        var message = (await RawMcp.ReadMessageAsync(refused)).GetProperty("error").GetProperty("message").GetString();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains("Sessions:MaxInProcess", message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:cache", message, StringComparison.Ordinal);
        Assert.False(refused.Headers.Contains(RawMcp.SessionIdHeader));
        foreach (var sessionId in sessions)
        {
            Assert.Equal(HttpStatusCode.OK, await EchoAsync(server.McpEndpoint, sessionId));
        }

        // Ending one makes room for one.
        using var delete = new HttpRequestMessage(HttpMethod.Delete, server.McpEndpoint);
        delete.Headers.Add(RawMcp.SessionIdHeader, sessions[0]);
        delete.Headers.Add("MCP-Protocol-Version", McpTestClient.SessionProtocolVersion);
        using var deleted = await _http.SendAsync(delete);
        Assert.True(deleted.IsSuccessStatusCode, $"DELETE answered {(int)deleted.StatusCode}");
        await RawMcp.OpenSessionAsync(_http, server.McpEndpoint);
    }

    private async Task<HttpStatusCode> EchoAsync(Uri endpoint, string sessionId)
    {
        using var request = RawMcp.Post(endpoint, RawMcp.CallTool("echo", """{"message":"still here"}"""), sessionId, McpTestClient.SessionProtocolVersion);
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }
}
