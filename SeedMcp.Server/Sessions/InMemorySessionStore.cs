using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace SeedMcp.Server.Sessions;

/// <summary>
/// Sessions in this process only: the fallback when no Redis is configured. Sessions do not survive a restart
/// and are not shared between instances.
/// </summary>
public sealed class InMemorySessionStore(IOptions<McpSessionOptions> options, TimeProvider timeProvider) : ISessionStore
{
    private readonly ConcurrentDictionary<string, SessionRecord> _sessions = new(StringComparer.Ordinal);
    private readonly TimeSpan _ttl = options.Value.Ttl;

    public const string StoreKind = "memory";

    public string Kind => StoreKind;

    public string KeyOf(string sessionId) => sessionId;

    public ValueTask<SessionRecord> CreateAsync(NewSession session, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var record = new SessionRecord(session.Id, now, now, now + _ttl, session.UserId,
            session.ClientName, session.ClientVersion, session.ProtocolVersion, session.InitializeParams);
        _sessions[session.Id] = record;
        return ValueTask.FromResult(record);
    }

    public ValueTask<SessionTouch> TouchAsync(string sessionId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        while (TryGetLive(sessionId, now, out var current))
        {
            var touched = current with { LastAccessAt = now, ExpiresAt = now + _ttl };
            if (_sessions.TryUpdate(sessionId, touched, current))
            {
                SessionCacheEvents.Record(hit: true, sessionId, _ttl);
                return ValueTask.FromResult(new SessionTouch(touched.UserId, touched.ExpiresAt));
            }
        }

        SessionCacheEvents.Record(hit: false, sessionId, _ttl);
        return ValueTask.FromResult(SessionTouch.NotFound);
    }

    public ValueTask<SessionRecord?> GetAsync(string sessionId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TryGetLive(sessionId, timeProvider.GetUtcNow(), out var record) ? record : null);

    public ValueTask<bool> RemoveAsync(string sessionId, CancellationToken cancellationToken)
    {
        var existed = TryGetLive(sessionId, timeProvider.GetUtcNow(), out _);
        _sessions.TryRemove(sessionId, out _);
        return ValueTask.FromResult(existed);
    }

    public ValueTask<long> CountActiveAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        long count = 0;
        foreach (var (id, _) in _sessions)
        {
            if (TryGetLive(id, now, out _))
            {
                count++;
            }
        }

        return ValueTask.FromResult(count);
    }

    /// <summary>Finds a session that has not expired, dropping it if it has.</summary>
    private bool TryGetLive(string sessionId, DateTimeOffset now, out SessionRecord record)
    {
        if (_sessions.TryGetValue(sessionId, out record!))
        {
            if (record.ExpiresAt > now)
            {
                return true;
            }

            _sessions.TryRemove(new KeyValuePair<string, SessionRecord>(sessionId, record));
        }

        return false;
    }
}
