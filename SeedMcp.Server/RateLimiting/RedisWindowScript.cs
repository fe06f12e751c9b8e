using StackExchange.Redis;

using SeedMcp.Server.Telemetry;

namespace SeedMcp.Server.RateLimiting;

/// <summary>
/// One <see cref="SlidingWindowCounter"/> in Redis, decided by a Lua script on one key (one cluster slot): it reads the
/// current and previous fixed windows' counts and, only if the estimate leaves room, counts the request. Each counter
/// is one hash (field = fixed-window number, value = count; the field two windows back is dropped, the key expires
/// two windows after its last request), so the work per request is constant whatever the traffic. Redis's clock
/// (<c>TIME</c>) numbers the windows, so every replica agrees on them. <see cref="RefundAsync"/> takes a count back
/// when the request's other limit rejected it. Written here rather than taken from RedisRateLimiting, whose limiters
/// trim and grow a sorted set per request.
/// </summary>
internal static class RedisWindowScript
{
    // KEYS: the counter's hash. ARGV: window (ms), limit, permits wanted, permits needed (at most wanted).
    // Returns: accepted (1/0), ms elapsed in the current window, current and previous counts (before counting), window
    // number, permits granted (counted): as many as fit up to wanted, or 0 when fewer than needed fit.
    private const string Script = """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local window = tonumber(ARGV[1])
        local wanted = tonumber(ARGV[3])
        local needed = tonumber(ARGV[4])
        local current = math.floor(now / window)
        local elapsed = now - current * window
        local weight = (window - elapsed) / window
        local counts = redis.call('HMGET', KEYS[1], current, current - 1)
        local c, p = tonumber(counts[1]) or 0, tonumber(counts[2]) or 0
        local accepted, granted = 0, 0
        local room = math.floor(tonumber(ARGV[2]) - p * weight - c)
        if needed <= room then
          accepted = 1
          granted = math.min(wanted, room)
          if granted > 0 then
            redis.call('HINCRBY', KEYS[1], current, granted)
            redis.call('HDEL', KEYS[1], current - 2)
            redis.call('PEXPIRE', KEYS[1], window * 2)
          end
        end
        return {accepted, elapsed, c, p, current, granted}
        """;

    // KEYS: the counter's hash. ARGV: window number, permits. Never creates a field or drives one below zero.
    private const string RefundScript = """
        local count = tonumber(redis.call('HGET', KEYS[1], ARGV[1]))
        if count == nil then
          return 0
        end
        if count <= tonumber(ARGV[2]) then
          redis.call('HDEL', KEYS[1], ARGV[1])
        else
          redis.call('HINCRBY', KEYS[1], ARGV[1], -tonumber(ARGV[2]))
        end
        return 1
        """;

    /// <summary>Counts exactly <paramref name="permits"/> if they fit.</summary>
    public static Task<Decision> EvaluateAsync(IDatabase database, RedisKey key, TimeSpan window, int limit, int permits) =>
        TakeAsync(database, key, window, limit, wanted: permits, needed: permits);

    /// <summary>Counts as many permits as fit, up to <paramref name="wanted"/>, if at least <paramref name="needed"/> do.</summary>
    public static async Task<Decision> TakeAsync(IDatabase database, RedisKey key, TimeSpan window, int limit, int wanted, int needed)
    {
        var result = await RedisCommandSpans.TraceAsync(database.Multiplexer, "EVALSHA", SeedMcpTelemetry.Redis.RateLimitSpan, () => database.ScriptEvaluateAsync(
            Script,
            [key],
            [(long)window.TotalMilliseconds, limit, Math.Max(wanted, needed), needed]));
        var values = (long[])result!;
        return new Decision(key, values[0] == 1, TimeSpan.FromMilliseconds(values[1]), new SlidingWindowCounter(values[2], values[3]), values[4], (int)values[5]);
    }

    /// <summary>Takes back the permits an accepted decision counted; sent without waiting for the answer.</summary>
    public static Task RefundAsync(IDatabase database, Decision decision, int permits) =>
        RefundAsync(database, decision.Key, decision.WindowNumber, permits);

    /// <summary>Takes back <paramref name="permits"/> counted in fixed window <paramref name="windowNumber"/>; not waited for.</summary>
    public static Task RefundAsync(IDatabase database, RedisKey key, long windowNumber, int permits) =>
        database.ScriptEvaluateAsync(RefundScript, [key], [windowNumber, permits], CommandFlags.FireAndForget);

    /// <summary>What the script decided for one counter, the counts it decided on, and how many permits it counted.</summary>
    public readonly record struct Decision(RedisKey Key, bool Accepted, TimeSpan Elapsed, SlidingWindowCounter Counter, long WindowNumber, int Granted);
}
