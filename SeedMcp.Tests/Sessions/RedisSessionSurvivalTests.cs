using System.Net;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Sessions;

/// <summary>With Redis behind it, a session outlives the server process that opened it.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisSessionSurvivalTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_session_opened_before_a_restart_keeps_working_after_it()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = redis.ConnectionString,
            ["Sessions:KeyPrefix"] = "survival-" + Guid.NewGuid().ToString("N"),
        };
        using var http = RawMcp.CreateHttpClient();

        string sessionId;
        await using (var before = await ServerHost.StartAsync(settings))
        {
            sessionId = await RawMcp.OpenSessionAsync(http, before.McpEndpoint);
        }

        await using var after = await ServerHost.StartAsync(settings);
        using var response = await http.SendAsync(RawMcp.Post(after.McpEndpoint, RawMcp.CallTool("echo", """{"message":"still here"}"""), sessionId, "2025-11-25"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = await RawMcp.ReadMessageAsync(response);
        Assert.Equal("still here", message.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(sessionId, response.Headers.GetValues(RawMcp.SessionIdHeader).Single());
    }
}
