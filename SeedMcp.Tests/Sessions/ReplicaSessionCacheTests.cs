using Microsoft.Extensions.Options;
using SeedMcp.Server.Sessions;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Sessions;

/// <summary>
/// The per-replica memory in front of the session store, over the in-memory store on a clock the test moves: a store
/// like any other (the contract), that touches the record at most once per interval.
/// </summary>
public sealed class ReplicaSessionCacheTests : SessionStoreContract, IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly List<ReplicaSessionCache> _caches = [];

    private InMemorySessionStore _store = null!;
    private bool _storeReachable = true;

    public void Dispose() => _caches.ForEach(cache => cache.Dispose());

    protected override ISessionStore CreateStore(TimeSpan ttl) => CreateCache(ttl, size: 100);

    [Fact]
    public async Task Within_the_interval_a_touch_is_answered_from_memory_and_the_record_is_left_alone()
    {
        var cache = CreateCache(Ttl);
        var session = NewSession("bob");
        var created = await cache.CreateAsync(session, CancellationToken.None);

        Clock.Advance(Interval - TimeSpan.FromSeconds(1));
        var touch = await cache.TouchAsync(session.Id, CancellationToken.None);

        Assert.Equal("bob", touch.OwnerUserId);
        Assert.Equal(created.ExpiresAt, touch.ExpiresAt); // the record's real expiry: created plus TTL
        Assert.Equal(created.LastAccessAt, (await _store.GetAsync(session.Id, CancellationToken.None))!.LastAccessAt);
    }

    [Fact]
    public async Task After_the_interval_the_record_is_touched_again()
    {
        var cache = CreateCache(Ttl);
        var session = NewSession("bob");
        await cache.CreateAsync(session, CancellationToken.None);

        Clock.Advance(Interval);
        var touch = await cache.TouchAsync(session.Id, CancellationToken.None);
        Clock.Advance(Interval - TimeSpan.FromSeconds(1));
        var fromMemory = await cache.TouchAsync(session.Id, CancellationToken.None);

        var touchedAt = Clock.GetUtcNow() - (Interval - TimeSpan.FromSeconds(1));
        Assert.Equal(touchedAt, (await _store.GetAsync(session.Id, CancellationToken.None))!.LastAccessAt);
        Assert.Equal(touchedAt + Ttl, touch.ExpiresAt);
        Assert.Equal(touch, fromMemory);
    }

    [Fact]
    public async Task Removing_through_this_replica_forgets_the_session_at_once()
    {
        var cache = CreateCache(Ttl);
        var session = NewSession();
        await cache.CreateAsync(session, CancellationToken.None);
        Assert.True((await cache.TouchAsync(session.Id, CancellationToken.None)).Found);

        Assert.True(await cache.RemoveAsync(session.Id, CancellationToken.None));

        Assert.False((await cache.TouchAsync(session.Id, CancellationToken.None)).Found);
    }

    [Fact]
    public async Task A_session_ended_on_another_replica_is_noticed_at_the_next_real_touch()
    {
        var cache = CreateCache(Ttl);
        var session = NewSession();
        await cache.CreateAsync(session, CancellationToken.None);

        await _store.RemoveAsync(session.Id, CancellationToken.None); // another replica's DELETE
        var withinInterval = await cache.TouchAsync(session.Id, CancellationToken.None);
        Clock.Advance(Interval);
        var afterInterval = await cache.TouchAsync(session.Id, CancellationToken.None);

        Assert.True(withinInterval.Found); // the documented bound: up to one interval
        Assert.False(afterInterval.Found);
    }

    [Fact]
    public async Task While_the_store_is_unreachable_nothing_is_answered_from_memory()
    {
        var cache = CreateCache(Ttl);
        var session = NewSession();
        await cache.CreateAsync(session, CancellationToken.None);
        await _store.RemoveAsync(session.Id, CancellationToken.None); // stands in for "the store would say": not found, or fail

        _storeReachable = false;
        var whileDown = await cache.TouchAsync(session.Id, CancellationToken.None);

        Assert.False(whileDown.Found);
    }

    [Fact]
    public async Task A_touch_in_flight_while_the_session_is_removed_does_not_bring_it_back()
    {
        var store = new GatedStore(new InMemorySessionStore(Options.Create(new McpSessionOptions { Ttl = Ttl }), Clock));
        using var cache = new ReplicaSessionCache(store, () => true, Options.Create(new McpSessionOptions { Ttl = Ttl, TouchInterval = Interval }), Clock);
        var session = NewSession();
        await cache.CreateAsync(session, CancellationToken.None);
        Clock.Advance(Interval);

        store.HoldTouches();
        var inFlight = cache.TouchAsync(session.Id, CancellationToken.None).AsTask(); // found in the store, answer held
        await cache.RemoveAsync(session.Id, CancellationToken.None);
        store.ReleaseTouches();

        Assert.True((await inFlight).Found);
        Assert.False((await cache.TouchAsync(session.Id, CancellationToken.None)).Found);
    }

    [Fact]
    public async Task Sessions_beyond_its_size_are_touched_every_time()
    {
        var cache = CreateCache(Ttl, size: 1);
        var first = NewSession();
        var second = NewSession();
        await cache.CreateAsync(first, CancellationToken.None);
        await cache.CreateAsync(second, CancellationToken.None);

        Clock.Advance(TimeSpan.FromSeconds(1));
        await cache.TouchAsync(first.Id, CancellationToken.None);
        await cache.TouchAsync(second.Id, CancellationToken.None);

        var lastAccess = new[]
        {
            (await _store.GetAsync(first.Id, CancellationToken.None))!.LastAccessAt,
            (await _store.GetAsync(second.Id, CancellationToken.None))!.LastAccessAt,
        };
        // At most one of the two fits (the cache may also evict it to make room): the other is touched in the store.
        Assert.Contains(Clock.GetUtcNow(), lastAccess);
    }

    [Fact]
    public async Task A_touch_interval_over_half_the_ttl_refuses_to_start_and_an_unset_one_shrinks_with_the_ttl()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sessions:Ttl"] = "00:00:10",
            ["Sessions:TouchInterval"] = "00:00:06",
        }));

        Assert.Contains("Sessions:TouchInterval (env Sessions__TouchInterval) is 00:00:06 but must be at most half of Sessions:Ttl (00:00:10)",
            error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), new McpSessionOptions().EffectiveTouchInterval);
        Assert.Equal(TimeSpan.FromSeconds(2.5), new McpSessionOptions { Ttl = TimeSpan.FromSeconds(10) }.EffectiveTouchInterval);
        Assert.Equal(TimeSpan.Zero, new McpSessionOptions { TouchInterval = TimeSpan.Zero }.EffectiveTouchInterval);
    }

    private ReplicaSessionCache CreateCache(TimeSpan ttl, int size = 100)
    {
        _store = new InMemorySessionStore(Options.Create(new McpSessionOptions { Ttl = ttl }), Clock);
        var cache = new ReplicaSessionCache(_store, () => _storeReachable, Options.Create(new McpSessionOptions { Ttl = ttl, TouchInterval = Interval, LocalCacheSize = size }), Clock);
        _caches.Add(cache);
        return cache;
    }

    /// <summary>A store whose touch answers can be held back, as a Redis reply still on the wire.</summary>
    private sealed class GatedStore(ISessionStore inner) : ISessionStore
    {
        private TaskCompletionSource _gate = CompletedGate();

        public string Kind => inner.Kind;

        public string KeyOf(string sessionId) => inner.KeyOf(sessionId);

        public void HoldTouches() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void ReleaseTouches() => _gate.TrySetResult();

        public async ValueTask<SessionTouch> TouchAsync(string sessionId, CancellationToken cancellationToken)
        {
            var touch = await inner.TouchAsync(sessionId, cancellationToken);
            await _gate.Task;
            return touch;
        }

        public ValueTask<SessionRecord> CreateAsync(NewSession session, CancellationToken cancellationToken) => inner.CreateAsync(session, cancellationToken);

        public ValueTask<SessionRecord?> GetAsync(string sessionId, CancellationToken cancellationToken) => inner.GetAsync(sessionId, cancellationToken);

        public ValueTask<bool> RemoveAsync(string sessionId, CancellationToken cancellationToken) => inner.RemoveAsync(sessionId, cancellationToken);

        public ValueTask<long> CountActiveAsync(CancellationToken cancellationToken) => inner.CountActiveAsync(cancellationToken);

        private static TaskCompletionSource CompletedGate()
        {
            var gate = new TaskCompletionSource();
            gate.SetResult();
            return gate;
        }
    }
}
