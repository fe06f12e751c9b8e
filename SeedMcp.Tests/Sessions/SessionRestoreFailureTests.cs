using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SeedMcp.Server.Sessions;
using SeedMcp.Tests.Support;
using StackExchange.Redis;

namespace SeedMcp.Tests.Sessions;

/// <summary>
/// A replica restoring a session it has not seen reads the stored record after touching it; when Redis fails between
/// the two, the caller gets the store's retryable 503 (JSON-RPC error, Retry-After), never a 500.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class SessionRestoreFailureTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_store_failure_while_restoring_a_session_answers_503_to_retry()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = redis.ConnectionString,
            ["Sessions:KeyPrefix"] = "restore-" + Guid.NewGuid().ToString("N"),
        };
        using var http = RawMcp.CreateHttpClient();
        await using var opener = await ServerHost.StartAsync(settings);
        var sessionId = await RawMcp.OpenSessionAsync(http, opener.McpEndpoint);

        // The other replica's store: real Redis for the touch, a connection failure for the read that follows it.
        await using var restorer = await ServerHost.StartAsync(settings, services =>
        {
            var real = services.Last(service => service.ServiceType == typeof(ISessionStore));
            services.AddSingleton<ISessionStore>(provider => new ReadFails((ISessionStore)real.ImplementationFactory!(provider)));
        });
        using var response = await http.SendAsync(RawMcp.Post(restorer.McpEndpoint, RawMcp.CallTool("echo", """{"message":"hi"}"""), sessionId, "2025-11-25"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("1", response.Headers.RetryAfter?.ToString());
        var error = (await RawMcp.ReadMessageAsync(response)).GetProperty("error");
        Assert.Contains("the session store cannot be reached", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        // The session itself is intact: its owner's replica still serves it.
        using var again = await http.SendAsync(RawMcp.Post(opener.McpEndpoint, RawMcp.CallTool("echo", """{"message":"hi"}"""), sessionId, "2025-11-25"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    private sealed class ReadFails(ISessionStore store) : ISessionStore
    {
        public string Kind => store.Kind;

        public string KeyOf(string sessionId) => store.KeyOf(sessionId);

        public ValueTask<SessionRecord> CreateAsync(NewSession session, CancellationToken cancellationToken) => store.CreateAsync(session, cancellationToken);

        public ValueTask<SessionTouch> TouchAsync(string sessionId, CancellationToken cancellationToken) => store.TouchAsync(sessionId, cancellationToken);

        public ValueTask<SessionRecord?> GetAsync(string sessionId, CancellationToken cancellationToken) =>
            throw new RedisConnectionException(ConnectionFailureType.SocketFailure, "injected: Redis went away between the touch and the read");

        public ValueTask<bool> RemoveAsync(string sessionId, CancellationToken cancellationToken) => store.RemoveAsync(sessionId, cancellationToken);

        public ValueTask<long> CountActiveAsync(CancellationToken cancellationToken) => store.CountActiveAsync(cancellationToken);
    }
}
