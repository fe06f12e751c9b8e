using StackExchange.Redis;

using SeedMcp.Server.Telemetry;

namespace SeedMcp.Server.RateLimiting;

/// <summary>
/// Decides both limits of a request in one round trip: a Lua script reads the caller's and the global
/// <see cref="SlidingWindowCounter"/>, and only if both have room counts the request in both. Each limit is one hash
/// (field = fixed-window number, value = count; the field two windows back is dropped, the key expires two windows
/// after its last request), so the work per request is constant whatever the traffic. Redis's clock (<c>TIME</c>)
/// numbers the windows, so every replica agrees on them. Both keys carry the same hash tag: one cluster slot.
/// A rejected request is counted in neither window. Written here rather than taken from RedisRateLimiting, whose
/// limiters are one per partition: two round trips per request, each trimming and growing a sorted set.
/// </summary>
internal static class RedisSlidingWindowScript
{
    /// <summary>The limit a rejection came from.</summary>
    public enum Verdict
    {
        Acquired = 0,
        CallerRejected = 1,
        GlobalRejected = 2,
    }

    // KEYS: caller hash, global hash. ARGV: window (ms), caller limit, global limit, permits.
    // Returns: verdict, ms elapsed in the current window, caller current/previous, global current/previous (before counting).
    private const string Script = """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local window = tonumber(ARGV[1])
        local permits = tonumber(ARGV[4])
        local current = math.floor(now / window)
        local elapsed = now - current * window
        local weight = (window - elapsed) / window
        local caller = redis.call('HMGET', KEYS[1], current, current - 1)
        local global = redis.call('HMGET', KEYS[2], current, current - 1)
        local cc, cp = tonumber(caller[1]) or 0, tonumber(caller[2]) or 0
        local gc, gp = tonumber(global[1]) or 0, tonumber(global[2]) or 0
        local verdict = 0
        if cp * weight + cc + permits > tonumber(ARGV[2]) then
          verdict = 1
        elseif gp * weight + gc + permits > tonumber(ARGV[3]) then
          verdict = 2
        elseif permits > 0 then
          for _, key in ipairs(KEYS) do
            redis.call('HINCRBY', key, current, permits)
            redis.call('HDEL', key, current - 2)
            redis.call('PEXPIRE', key, window * 2)
          end
        end
        return {verdict, elapsed, cc, cp, gc, gp}
        """;

    public static async Task<Decision> EvaluateAsync(
        IDatabase database, RedisKey callerKey, RedisKey globalKey, TimeSpan window, int callerLimit, int globalLimit, int permits)
    {
        var result = await RedisCommandSpans.TraceAsync(database.Multiplexer, "EVALSHA", SeedMcpTelemetry.Redis.RateLimitSpan, () => database.ScriptEvaluateAsync(
            Script,
            [callerKey, globalKey],
            [(long)window.TotalMilliseconds, callerLimit, globalLimit, permits]));
        var values = (long[])result!;
        return new Decision(
            (Verdict)values[0],
            TimeSpan.FromMilliseconds(values[1]),
            new SlidingWindowCounter(values[2], values[3]),
            new SlidingWindowCounter(values[4], values[5]));
    }

    /// <summary>What the script decided, and the counts it decided on.</summary>
    public readonly record struct Decision(Verdict Verdict, TimeSpan Elapsed, SlidingWindowCounter Caller, SlidingWindowCounter Global);
}
