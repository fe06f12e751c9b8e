using Microsoft.Extensions.Options;
using SeedMcp.Server.Redis;
using SeedMcp.Server.Sessions;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Sessions;

[Collection(RedisCollection.Name)]
public sealed class RedisSessionStoreTests(RedisServerFixture redis) : SessionStoreContract
{
    private readonly string _keyPrefix = "test-" + Guid.NewGuid().ToString("N");

    protected override ISessionStore CreateStore(TimeSpan ttl) =>
        new RedisSessionStore(redis.Connection, new RedisKeys(_keyPrefix), Options.Create(new McpSessionOptions { Ttl = ttl, KeyPrefix = _keyPrefix }), Clock);

    [Fact]
    public async Task The_session_key_carries_the_ttl_in_redis()
    {
        var store = CreateStore(Ttl);
        var session = NewSession();
        await store.CreateAsync(session, CancellationToken.None);

        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync(new RedisKeys(_keyPrefix).Session(session.Id));

        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, Ttl - TimeSpan.FromSeconds(5), Ttl);
    }

    [Fact]
    public async Task Redis_expires_a_session_that_is_not_touched()
    {
        // Redis keeps real time, so this one waits out a one-second TTL.
        var store = new RedisSessionStore(redis.Connection, new RedisKeys(_keyPrefix),
            Options.Create(new McpSessionOptions { Ttl = TimeSpan.FromSeconds(1), KeyPrefix = _keyPrefix }), TimeProvider.System);
        var session = NewSession();
        await store.CreateAsync(session, CancellationToken.None);

        await Task.Delay(TimeSpan.FromSeconds(2.2));

        Assert.False((await store.TouchAsync(session.Id, CancellationToken.None)).Found);
        Assert.Equal(0, await store.CountActiveAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_session_written_by_the_release_before_is_found_touched_counted_and_ended()
    {
        // The previous release's layout: every key under the one hash tag {prefix}.
        var keys = new RedisKeys(_keyPrefix);
        var database = redis.Connection.GetDatabase();
        var now = Clock.GetUtcNow();
        await database.HashSetAsync(keys.LegacySession("old-1"),
        [
            new("id", "old-1"), new("created", now.ToUnixTimeMilliseconds()), new("lastAccess", now.ToUnixTimeMilliseconds()),
            new("userId", "alice"), new("clientName", "old-client"), new("clientVersion", "1"), new("protocolVersion", "2025-06-18"),
            new("initializeParams", "{}"),
        ]);
        await database.KeyExpireAsync(keys.LegacySession("old-1"), Ttl);
        await database.SortedSetAddAsync(keys.LegacyIndex, "old-1", (now + Ttl).ToUnixTimeMilliseconds());
        var store = CreateStore(Ttl);

        var touch = await store.TouchAsync("old-1", CancellationToken.None);
        var record = await store.GetAsync("old-1", CancellationToken.None);
        var counted = await store.CountActiveAsync(CancellationToken.None);
        var removed = await store.RemoveAsync("old-1", CancellationToken.None);

        Assert.Equal("alice", touch.OwnerUserId);
        Assert.Equal("old-client", record?.ClientName);
        Assert.Equal(1, counted);
        Assert.True(removed);
        Assert.False(await database.KeyExistsAsync(keys.LegacySession("old-1")));
        Assert.False((await store.TouchAsync("old-1", CancellationToken.None)).Found);
    }
}
