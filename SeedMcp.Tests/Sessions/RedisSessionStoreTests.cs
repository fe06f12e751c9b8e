using Microsoft.Extensions.Options;
using SeedMcp.Server.Sessions;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Sessions;

[Collection(RedisCollection.Name)]
public sealed class RedisSessionStoreTests(RedisServerFixture redis) : SessionStoreContract
{
    private readonly string _keyPrefix = "test-" + Guid.NewGuid().ToString("N");

    protected override ISessionStore CreateStore(TimeSpan ttl) =>
        new RedisSessionStore(redis.Connection, Options.Create(new McpSessionOptions { Ttl = ttl, KeyPrefix = _keyPrefix }), Clock);

    [Fact]
    public async Task The_session_key_carries_the_ttl_in_redis()
    {
        var store = CreateStore(Ttl);
        var session = NewSession();
        await store.CreateAsync(session, CancellationToken.None);

        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync($"{{{_keyPrefix}}}:session:{session.Id}");

        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, Ttl - TimeSpan.FromSeconds(5), Ttl);
    }

    [Fact]
    public async Task Redis_expires_a_session_that_is_not_touched()
    {
        // Redis keeps real time, so this one waits out a one-second TTL.
        var store = new RedisSessionStore(redis.Connection,
            Options.Create(new McpSessionOptions { Ttl = TimeSpan.FromSeconds(1), KeyPrefix = _keyPrefix }), TimeProvider.System);
        var session = NewSession();
        await store.CreateAsync(session, CancellationToken.None);

        await Task.Delay(TimeSpan.FromSeconds(2.2));

        Assert.False((await store.TouchAsync(session.Id, CancellationToken.None)).Found);
        Assert.Equal(0, await store.CountActiveAsync(CancellationToken.None));
    }
}
