using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace SeedMcp.Server.Sessions;

/// <summary>
/// What this replica last learned from the session store about the sessions it serves — the owner, and when it last
/// touched the record — so a session touches Redis at most once per <see cref="McpSessionOptions.TouchInterval"/>
/// instead of on every request. In between, the owner check and the expiry come from memory (a <c>cache.hit</c>
/// event without a Redis command). The expiry reported is the record's real one: last touch plus TTL.
/// A DELETE through this replica forgets the session at once; a session ended on another replica, or gone from Redis,
/// is noticed here at the next real touch, at most one interval later. While the store is unreachable nothing is
/// answered from memory: requests reach the store and fail as they would without this cache (503, retry), rather than
/// vouching for sessions nobody can check. Size-bounded by <see cref="McpSessionOptions.LocalCacheSize"/>: sessions
/// beyond it are simply touched every time.
/// </summary>
internal sealed class ReplicaSessionCache : ISessionStore, IDisposable
{
    private readonly ISessionStore _store;
    private readonly Func<bool> _storeReachable;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _ttl;
    private readonly MemoryCache _sessions;

    /// <param name="storeReachable">Whether the store's connection is up (for Redis, the multiplexer's; a cheap read).</param>
    public ReplicaSessionCache(ISessionStore store, Func<bool> storeReachable, IOptions<McpSessionOptions> options, TimeProvider time)
    {
        _store = store;
        _storeReachable = storeReachable;
        _time = time;
        _interval = options.Value.EffectiveTouchInterval;
        _ttl = options.Value.Ttl;
        _sessions = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.LocalCacheSize });
    }

    public string Kind => _store.Kind;

    public string KeyOf(string sessionId) => _store.KeyOf(sessionId);

    public async ValueTask<SessionRecord> CreateAsync(NewSession session, CancellationToken cancellationToken)
    {
        var record = await _store.CreateAsync(session, cancellationToken);
        Remember(record.Id, new Touched(record.UserId, record.LastAccessAt, record.ExpiresAt));
        return record;
    }

    public async ValueTask<SessionTouch> TouchAsync(string sessionId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_sessions.TryGetValue(sessionId, out var known) && known is Touched touched && now - touched.At < _interval && _storeReachable())
        {
            SessionCacheEvents.Record(hit: true, _store, sessionId, _ttl);
            return new SessionTouch(touched.Owner, touched.ExpiresAt);
        }

        var touch = await _store.TouchAsync(sessionId, cancellationToken);
        if (touch.Found)
        {
            Remember(sessionId, new Touched(touch.OwnerUserId!, now, touch.ExpiresAt));
        }
        else if (known is Touched)
        {
            _sessions.Remove(sessionId);
        }

        return touch;
    }

    public ValueTask<SessionRecord?> GetAsync(string sessionId, CancellationToken cancellationToken) =>
        _store.GetAsync(sessionId, cancellationToken);

    public ValueTask<bool> RemoveAsync(string sessionId, CancellationToken cancellationToken)
    {
        // Forgotten before the record goes, and marked ended for one interval, so a touch still in flight cannot
        // bring it back into memory.
        _sessions.Remove(sessionId);
        _sessions.Set(sessionId, Ended.Instance, Entry());
        return _store.RemoveAsync(sessionId, cancellationToken);
    }

    public ValueTask<long> CountActiveAsync(CancellationToken cancellationToken) => _store.CountActiveAsync(cancellationToken);

    public void Dispose() => _sessions.Dispose();

    private void Remember(string sessionId, Touched touched)
    {
        if (!_sessions.TryGetValue(sessionId, out var known) || known is not Ended)
        {
            _sessions.Set(sessionId, touched, Entry());
        }
    }

    /// <summary>Nothing is worth keeping past one interval: the next request touches the store anyway.</summary>
    private MemoryCacheEntryOptions Entry() => new() { Size = 1, AbsoluteExpirationRelativeToNow = _interval };

    /// <param name="At">When this replica last had the record touched (or created).</param>
    private sealed record Touched(string Owner, DateTimeOffset At, DateTimeOffset ExpiresAt);

    private sealed class Ended
    {
        public static readonly Ended Instance = new();
    }
}
