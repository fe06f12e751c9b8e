using System.Diagnostics;
using Microsoft.Extensions.Options;
using SeedMcp.Server.Redis;
using SeedMcp.Server.Sessions;
using SeedMcp.Tests.Support;
using StackExchange.Redis;

namespace SeedMcp.Tests.Sessions;

/// <summary>
/// The store's retry budget against a real redis-server that stops answering for longer than the client's timeout
/// (<c>CLIENT PAUSE</c>, as a node does while it fails over): with the budget the touch succeeds once Redis answers
/// again; without it, the same touch fails with the client's timeout.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisStoreRetryTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(2500);

    private readonly string _keyPrefix = "retry-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task A_touch_rides_out_redis_not_answering_for_longer_than_the_client_timeout()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",asyncTimeout=1000,syncTimeout=1000");
        var riding = Store(connection, TimeSpan.FromSeconds(10));
        var failing = Store(connection, TimeSpan.Zero);
        var session = new NewSession("retry-" + Guid.NewGuid().ToString("N"), "alice", "test", "1", "2025-11-25", "{}");
        await riding.CreateAsync(session, CancellationToken.None);

        await redis.Connection.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", (long)Pause.TotalMilliseconds, "ALL");
        var watch = Stopwatch.StartNew();
        var withoutBudget = failing.TouchAsync(session.Id, CancellationToken.None).AsTask();
        var withBudget = riding.TouchAsync(session.Id, CancellationToken.None).AsTask();

        await Assert.ThrowsAsync<RedisTimeoutException>(() => withoutBudget.WaitAsync(TimeSpan.FromSeconds(10)));
        var touch = await withBudget.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(touch.Found);
        Assert.Equal("alice", touch.OwnerUserId);
        Assert.InRange(watch.Elapsed, Pause - TimeSpan.FromMilliseconds(300), Pause + TimeSpan.FromSeconds(3));
    }

    private RedisSessionStore Store(IConnectionMultiplexer connection, TimeSpan budget) =>
        new(connection, new RedisKeys(_keyPrefix), Options.Create(new McpSessionOptions { KeyPrefix = _keyPrefix, StoreRetryBudget = budget }), TimeProvider.System);
}
