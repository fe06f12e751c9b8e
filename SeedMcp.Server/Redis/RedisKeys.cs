using StackExchange.Redis;

namespace SeedMcp.Server.Redis;

/// <summary>
/// Every Redis key the server writes, and the hash tag (the part in braces) that decides its Redis Cluster slot: each
/// session in its own slot, each caller's rate-limit counter in its own, the session index and the global limit in
/// <see cref="IndexShards"/> and <c>RateLimiting:GlobalShards</c> slots. No command or script ever touches keys of two
/// tags, so no request can meet a CROSSSLOT error. The keys of the release before (all under the one tag
/// <c>{prefix}</c>) are still read (<see cref="LegacySession"/>), so sessions open at an upgrade carry on.
/// </summary>
public sealed class RedisKeys(string prefix)
{
    /// <summary>Slots the index of live sessions is spread over; a session's entry is in <see cref="IndexShardOf"/>.</summary>
    public const int IndexShards = 16;

    public string Prefix => prefix;

    /// <summary>The session's hash (record) — <c>prefix:session:{id}</c>.</summary>
    public RedisKey Session(string sessionId) => $"{prefix}:session:{{{sessionId}}}";

    /// <summary>One slot of the index of live sessions (a sorted set of ids scored by expiry).</summary>
    public RedisKey IndexShard(int shard) => $"{prefix}:sessions:{{{prefix}:sessions:{shard}}}";

    public RedisKey IndexShardOf(string sessionId) => IndexShard(ShardOf(sessionId, IndexShards));

    /// <summary>A caller's rate-limit counter — <c>prefix:ratelimit:{user:sub}</c> or <c>{ip:address}</c>.</summary>
    public RedisKey RateLimitCaller(string partitionKey) => $"{prefix}:ratelimit:{{{partitionKey}}}";

    /// <summary>One of the counters the global limit is split over.</summary>
    public RedisKey RateLimitGlobalShard(int shard) => $"{prefix}:ratelimit:{{{prefix}:global:{shard}}}";

    /// <summary>A session record as the release before wrote it (one shared tag); read until those sessions expire.</summary>
    public RedisKey LegacySession(string sessionId) => $"{{{prefix}}}:session:{sessionId}";

    /// <summary>The index the release before kept, in the same slot as its session records.</summary>
    public RedisKey LegacyIndex => $"{{{prefix}}}:sessions";

    /// <summary>A stable shard number (FNV-1a of the id; the same in every process, unlike <c>string.GetHashCode</c>).</summary>
    public static int ShardOf(string id, int shards)
    {
        var hash = 2166136261u;
        foreach (var character in id)
        {
            hash = (hash ^ character) * 16777619u;
        }

        return (int)(hash % (uint)shards);
    }
}
