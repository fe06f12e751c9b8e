using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

using SeedMcp.Server.Redis;
using SeedMcp.Server.Telemetry;

namespace SeedMcp.Server.Sessions;

/// <summary>
/// Sessions as Redis hashes (<c>{prefix}:session:{{id}}</c>) with a TTL, each in its own cluster slot, plus an index of
/// ids scored by expiry spread over <see cref="RedisKeys.IndexShards"/> sorted sets, so active sessions can be counted
/// without SCAN. Every command and script touches keys of one slot only; the index entry is updated by a separate
/// command (not atomically with the record: an entry may outlive its record until its expiry, when it is pruned).
/// Records of the release before (<see cref="RedisKeys.LegacySession"/>) are still found, touched and removed.
/// Each operation rides through a failover or reconnect within <see cref="McpSessionOptions.StoreRetryBudget"/>
/// (<see cref="RedisStoreRetry"/>).
/// </summary>
public sealed class RedisSessionStore(
    IConnectionMultiplexer redis, RedisKeys keys, IOptions<McpSessionOptions> options, TimeProvider timeProvider,
    ILogger<RedisSessionStore>? logger = null)
    : ISessionStore
{
    // One round trip per request: refresh TTL and last access only if the session still exists, and return its owner
    // so the caller can enforce the user binding. EXPIRE answers 0 for a missing key.
    private const string TouchScript = """
        if redis.call('EXPIRE', KEYS[1], ARGV[2]) == 0 then
          return false
        end
        redis.call('HSET', KEYS[1], 'lastAccess', ARGV[1])
        return redis.call('HGET', KEYS[1], 'userId')
        """;

    // The release before's script: record and index share one slot there.
    private const string LegacyTouchScript = """
        if redis.call('EXPIRE', KEYS[1], ARGV[2]) == 0 then
          return false
        end
        redis.call('HSET', KEYS[1], 'lastAccess', ARGV[1])
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
        return redis.call('HGET', KEYS[1], 'userId')
        """;

    private readonly RedisKeys _keys = keys;
    private readonly TimeSpan _ttl = options.Value.Ttl;
    private readonly RedisStoreRetry _retry = new(redis, options.Value.StoreRetryBudget, (ILogger?)logger ?? NullLogger.Instance);

    public string Kind => "redis";

    private IDatabase Database => redis.GetDatabase();

    public string KeyOf(string sessionId) => _keys.Session(sessionId)!;

    public ValueTask<SessionRecord> CreateAsync(NewSession session, CancellationToken cancellationToken) =>
        _retry.RunAsync("create", token => CreateOnceAsync(session, token), cancellationToken);

    public ValueTask<SessionTouch> TouchAsync(string sessionId, CancellationToken cancellationToken) =>
        _retry.RunAsync("touch", token => TouchOnceAsync(sessionId, token), cancellationToken);

    public ValueTask<SessionRecord?> GetAsync(string sessionId, CancellationToken cancellationToken) =>
        _retry.RunAsync("get", token => GetOnceAsync(sessionId, token), cancellationToken);

    public ValueTask<bool> RemoveAsync(string sessionId, CancellationToken cancellationToken) =>
        _retry.RunAsync("remove", token => RemoveOnceAsync(sessionId, token), cancellationToken);

    /// <summary>A status figure, not a request's answer: not retried, so status reports stay quick while Redis is away.</summary>
    public async ValueTask<long> CountActiveAsync(CancellationToken cancellationToken) => await CountActiveOnceAsync(cancellationToken);

    private async Task<SessionRecord> CreateOnceAsync(NewSession session, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var record = new SessionRecord(session.Id, now, now, now + _ttl, session.UserId,
            session.ClientName, session.ClientVersion, session.ProtocolVersion, session.InitializeParams);

        var key = _keys.Session(session.Id);
        var committed = await RedisCommandSpans.TraceAsync(redis, "MULTI", SeedMcpTelemetry.Redis.SessionCreateSpan, async () =>
        {
            // The record (one slot, atomically) and its index entry (another slot), in one round trip.
            var transaction = Database.CreateTransaction();
            _ = transaction.HashSetAsync(key, ToHash(record));
            _ = transaction.KeyExpireAsync(key, _ttl);
            var indexed = Database.SortedSetAddAsync(_keys.IndexShardOf(session.Id), session.Id, record.ExpiresAt.ToUnixTimeMilliseconds());
            var executed = await transaction.ExecuteAsync().WaitAsync(cancellationToken);
            await indexed.WaitAsync(cancellationToken);
            return executed;
        });
        if (!committed)
        {
            throw new RedisException($"Redis did not commit the record of session '{session.Id}'.");
        }

        return record;
    }

    private async Task<SessionTouch> TouchOnceAsync(string sessionId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var expiresAt = now + _ttl;
        var key = _keys.Session(sessionId);
        var result = await RedisCommandSpans.TraceAsync(redis, "EVALSHA", SeedMcpTelemetry.Redis.SessionTouchSpan, () => Database.ScriptEvaluateAsync(
            TouchScript,
            [key],
            [now.ToUnixTimeMilliseconds(), (long)_ttl.TotalSeconds])
            .WaitAsync(cancellationToken));
        if (!result.IsNull)
        {
            // The index follows without being waited for; XX: an entry removed with its session is not brought back.
            _ = Database.SortedSetAddAsync(_keys.IndexShardOf(sessionId), sessionId, expiresAt.ToUnixTimeMilliseconds(),
                SortedSetWhen.Exists, CommandFlags.FireAndForget);
        }
        else
        {
            result = await Database.ScriptEvaluateAsync(
                LegacyTouchScript,
                [_keys.LegacySession(sessionId), _keys.LegacyIndex],
                [now.ToUnixTimeMilliseconds(), (long)_ttl.TotalSeconds, expiresAt.ToUnixTimeMilliseconds(), sessionId])
                .WaitAsync(cancellationToken);
        }

        SessionCacheEvents.Record(hit: !result.IsNull, key!, _ttl);
        return result.IsNull ? SessionTouch.NotFound : new SessionTouch((string?)result, expiresAt);
    }

    private async Task<SessionRecord?> GetOnceAsync(string sessionId, CancellationToken cancellationToken)
    {
        var record = await LoadAsync(_keys.Session(sessionId), sessionId, cancellationToken);
        return record ?? await LoadAsync(_keys.LegacySession(sessionId), sessionId, cancellationToken);
    }

    private async Task<bool> RemoveOnceAsync(string sessionId, CancellationToken cancellationToken)
    {
        var deleted = await RedisCommandSpans.TraceAsync(redis, "DEL", SeedMcpTelemetry.Redis.SessionRemoveSpan, async () =>
        {
            var batch = Database.CreateBatch();
            var current = batch.KeyDeleteAsync(_keys.Session(sessionId));
            var indexed = batch.SortedSetRemoveAsync(_keys.IndexShardOf(sessionId), sessionId);
            var legacy = batch.KeyDeleteAsync(_keys.LegacySession(sessionId));
            var legacyIndexed = batch.SortedSetRemoveAsync(_keys.LegacyIndex, sessionId);
            batch.Execute();
            await Task.WhenAll(current, indexed, legacy, legacyIndexed).WaitAsync(cancellationToken);
            return current.Result || legacy.Result;
        });
        return deleted;
    }

    private async Task<long> CountActiveOnceAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var batch = Database.CreateBatch();
        var counts = new List<Task<long>>();
        foreach (var index in Enumerable.Range(0, RedisKeys.IndexShards).Select(_keys.IndexShard).Append(_keys.LegacyIndex))
        {
            // Expired sessions vanish from Redis by TTL; their index entries are pruned here, lazily.
            _ = batch.SortedSetRemoveRangeByScoreAsync(index, double.NegativeInfinity, now, Exclude.Stop);
            counts.Add(batch.SortedSetLengthAsync(index));
        }

        batch.Execute();
        return (await Task.WhenAll(counts).WaitAsync(cancellationToken)).Sum();
    }

    private async ValueTask<SessionRecord?> LoadAsync(RedisKey key, string sessionId, CancellationToken cancellationToken)
    {
        var (fields, ttl) = await RedisCommandSpans.TraceAsync(redis, "HGETALL", SeedMcpTelemetry.Redis.SessionLoadSpan, async () =>
        {
            var batch = Database.CreateBatch();
            var fieldsTask = batch.HashGetAllAsync(key);
            var ttlTask = batch.KeyTimeToLiveAsync(key);
            batch.Execute();
            return (await fieldsTask.WaitAsync(cancellationToken), await ttlTask.WaitAsync(cancellationToken));
        });
        return fields.Length == 0 ? null : FromHash(sessionId, fields.ToDictionary(), ttl);
    }

    private static HashEntry[] ToHash(SessionRecord record) =>
    [
        new("id", record.Id),
        new("created", record.CreatedAt.ToUnixTimeMilliseconds()),
        new("lastAccess", record.LastAccessAt.ToUnixTimeMilliseconds()),
        new("userId", record.UserId),
        new("clientName", record.ClientName ?? string.Empty),
        new("clientVersion", record.ClientVersion ?? string.Empty),
        new("protocolVersion", record.ProtocolVersion ?? string.Empty),
        new("initializeParams", record.InitializeParams),
    ];

    private SessionRecord FromHash(string sessionId, Dictionary<RedisValue, RedisValue> fields, TimeSpan? ttl)
    {
        string? Text(string name) => fields.TryGetValue(name, out var value) && !value.IsNullOrEmpty ? (string?)value : null;
        DateTimeOffset Time(string name) => DateTimeOffset.FromUnixTimeMilliseconds(
            long.Parse(Text(name) ?? "0", NumberStyles.Integer, CultureInfo.InvariantCulture));

        return new SessionRecord(
            sessionId,
            Time("created"),
            Time("lastAccess"),
            timeProvider.GetUtcNow() + (ttl ?? TimeSpan.Zero),
            Text("userId") ?? string.Empty,
            Text("clientName"),
            Text("clientVersion"),
            Text("protocolVersion"),
            Text("initializeParams") ?? "{}");
    }
}
