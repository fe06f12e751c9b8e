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
    // KEYS: the counter's hash. ARGV: window (ms), limit, permits.
    // Returns: accepted (1/0), ms elapsed in the current window, current and previous counts (before counting), window number.
    private const string Script = """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local window = tonumber(ARGV[1])
        local permits = tonumber(ARGV[3])
        local current = math.floor(now / window)
        local elapsed = now - current * window
        local weight = (window - elapsed) / window
        local counts = redis.call('HMGET', KEYS[1], current, current - 1)
        local c, p = tonumber(counts[1]) or 0, tonumber(counts[2]) or 0
        local accepted = 0
        if p * weight + c + permits <= tonumber(ARGV[2]) then
          accepted = 1
          if permits > 0 then
            redis.call('HINCRBY', KEYS[1], current, permits)
            redis.call('HDEL', KEYS[1], current - 2)
            redis.call('PEXPIRE', KEYS[1], window * 2)
          end
        end
        return {accepted, elapsed, c, p, current}
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

    public static async Task<Decision> EvaluateAsync(IDatabase database, RedisKey key, TimeSpan window, int limit, int permits)
    {
        var result = await RedisCommandSpans.TraceAsync(database.Multiplexer, "EVALSHA", SeedMcpTelemetry.Redis.RateLimitSpan, () => database.ScriptEvaluateAsync(
            Script,
            [key],
            [(long)window.TotalMilliseconds, limit, permits]));
        var values = (long[])result!;
        return new Decision(key, values[0] == 1, TimeSpan.FromMilliseconds(values[1]), new SlidingWindowCounter(values[2], values[3]), values[4]);
    }

    /// <summary>Takes back the permits an accepted decision counted; sent without waiting for the answer.</summary>
    public static Task RefundAsync(IDatabase database, Decision decision, int permits) =>
        database.ScriptEvaluateAsync(RefundScript, [decision.Key], [decision.WindowNumber, permits], CommandFlags.FireAndForget);

    /// <summary>What the script decided for one counter, and the counts it decided on.</summary>
    public readonly record struct Decision(RedisKey Key, bool Accepted, TimeSpan Elapsed, SlidingWindowCounter Counter, long WindowNumber);
}
