using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

using SeedMcp.Server.Telemetry;

namespace SeedMcp.Server.Sessions;

/// <summary>
/// Sessions as Redis hashes (<c>{prefix}:session:{id}</c>) with a TTL, plus a sorted set of ids scored by expiry
/// (<c>{prefix}:sessions</c>) so active sessions can be counted without SCAN. The braces are a hash tag: both keys
/// land in one cluster slot, which the touch script needs.
/// </summary>
public sealed class RedisSessionStore(IConnectionMultiplexer redis, IOptions<McpSessionOptions> options, TimeProvider timeProvider)
    : ISessionStore
{
    // One round trip per request: refresh TTL, last access and index score only if the session still exists,
    // and return its owner so the caller can enforce the user binding. EXPIRE answers 0 for a missing key.
    private const string TouchScript = """
        if redis.call('EXPIRE', KEYS[1], ARGV[2]) == 0 then
          return false
        end
        redis.call('HSET', KEYS[1], 'lastAccess', ARGV[1])
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
        return redis.call('HGET', KEYS[1], 'userId')
        """;

    private readonly string _keyPrefix = "{" + options.Value.KeyPrefix + "}";
    private readonly TimeSpan _ttl = options.Value.Ttl;

    public string Kind => "redis";

    private IDatabase Database => redis.GetDatabase();

    private RedisKey IndexKey => _keyPrefix + ":sessions";

    private RedisKey SessionKey(string sessionId) => _keyPrefix + ":session:" + sessionId;

    public string KeyOf(string sessionId) => SessionKey(sessionId)!;

    public async ValueTask<SessionRecord> CreateAsync(NewSession session, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var record = new SessionRecord(session.Id, now, now, now + _ttl, session.UserId,
            session.ClientName, session.ClientVersion, session.ProtocolVersion, session.InitializeParams);

        var key = SessionKey(session.Id);
        var transaction = Database.CreateTransaction();
        _ = transaction.HashSetAsync(key, ToHash(record));
        _ = transaction.KeyExpireAsync(key, _ttl);
        _ = transaction.SortedSetAddAsync(IndexKey, session.Id, record.ExpiresAt.ToUnixTimeMilliseconds());
        if (!await RedisCommandSpans.TraceAsync(redis, "MULTI", SeedMcpTelemetry.Redis.SessionCreateSpan, () => transaction.ExecuteAsync().WaitAsync(cancellationToken)))
        {
            throw new RedisException($"Redis did not commit the record of session '{session.Id}'.");
        }

        return record;
    }

    public async ValueTask<SessionTouch> TouchAsync(string sessionId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var expiresAt = now + _ttl;
        var key = SessionKey(sessionId);
        var result = await RedisCommandSpans.TraceAsync(redis, "EVALSHA", SeedMcpTelemetry.Redis.SessionTouchSpan, () => Database.ScriptEvaluateAsync(
            TouchScript,
            [key, IndexKey],
            [now.ToUnixTimeMilliseconds(), (long)_ttl.TotalSeconds, expiresAt.ToUnixTimeMilliseconds(), sessionId])
            .WaitAsync(cancellationToken));

        SessionCacheEvents.Record(hit: !result.IsNull, key!, _ttl);
        return result.IsNull ? SessionTouch.NotFound : new SessionTouch((string?)result, expiresAt);
    }

    public async ValueTask<SessionRecord?> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        var key = SessionKey(sessionId);
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

    public async ValueTask<bool> RemoveAsync(string sessionId, CancellationToken cancellationToken)
    {
        var transaction = Database.CreateTransaction();
        var deleted = transaction.KeyDeleteAsync(SessionKey(sessionId));
        _ = transaction.SortedSetRemoveAsync(IndexKey, sessionId);
        await RedisCommandSpans.TraceAsync(redis, "MULTI", SeedMcpTelemetry.Redis.SessionRemoveSpan, () => transaction.ExecuteAsync().WaitAsync(cancellationToken));
        return await deleted;
    }

    public async ValueTask<long> CountActiveAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var batch = Database.CreateBatch();
        // Expired sessions vanish from Redis by TTL; their index entries are pruned here, lazily.
        _ = batch.SortedSetRemoveRangeByScoreAsync(IndexKey, double.NegativeInfinity, now, Exclude.Stop);
        var count = batch.SortedSetLengthAsync(IndexKey);
        batch.Execute();
        return await count.WaitAsync(cancellationToken);
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
