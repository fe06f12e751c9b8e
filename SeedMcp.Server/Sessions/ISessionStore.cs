namespace SeedMcp.Server.Sessions;

/// <summary>
/// Keeps session records with a sliding expiry. Implementations compute times themselves so every
/// instance agrees on what "expired" means.
/// </summary>
public interface ISessionStore
{
    /// <summary>"redis" or "memory": reported by <c>system_status</c> and on spans.</summary>
    string Kind { get; }

    /// <summary>Where the store keeps a session, as named in <c>cache.hit</c>/<c>cache.miss</c> events (<c>cache.key</c>).</summary>
    string KeyOf(string sessionId);

    /// <summary>Stores a new session; its expiry is now plus the configured TTL.</summary>
    ValueTask<SessionRecord> CreateAsync(NewSession session, CancellationToken cancellationToken);

    /// <summary>Refreshes last access and expiry of an existing session in one step; never creates one.</summary>
    ValueTask<SessionTouch> TouchAsync(string sessionId, CancellationToken cancellationToken);

    ValueTask<SessionRecord?> GetAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Removes a session; false when there was none.</summary>
    ValueTask<bool> RemoveAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Number of sessions that have not expired.</summary>
    ValueTask<long> CountActiveAsync(CancellationToken cancellationToken);
}

/// <summary>What a caller knows about a session when it opens it.</summary>
public sealed record NewSession(
    string Id,
    string UserId,
    string? ClientName,
    string? ClientVersion,
    string? ProtocolVersion,
    string InitializeParams);
