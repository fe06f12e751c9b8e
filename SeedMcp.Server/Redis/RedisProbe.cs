using StackExchange.Redis;
using SeedMcp.Server.Status;
using SeedMcp.Server.Telemetry;

namespace SeedMcp.Server.Redis;

/// <summary>
/// Whether Redis answers, and how fast: one PING, bounded by a timeout; "not configured" when the server runs
/// without Redis. The one status probe of Redis, asked by the <c>system_status</c> tool and by <c>StatusMonitor</c>.
/// Created by <see cref="RedisExtensions.AddSeedMcpRedis"/>, which decides whether there is a connection.
/// </summary>
public sealed class RedisProbe(IConnectionMultiplexer? redis)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    public bool Configured => redis is not null;

    /// <summary>The <c>system_status</c> view of <see cref="PingAsync"/>, with the default timeout.</summary>
    public async Task<RedisStatus> ProbeAsync(CancellationToken cancellationToken)
    {
        if (redis is null)
        {
            return new RedisStatus(Configured: false, Reachable: false, RoundTripMilliseconds: null, Error: null);
        }

        var ping = await PingAsync(DefaultTimeout, cancellationToken);
        return ping.RoundTrip is { } roundTrip
            ? new RedisStatus(true, true, Math.Round(roundTrip.TotalMilliseconds, 3), null)
            : new RedisStatus(true, false, null, ping.Error);
    }

    /// <summary>
    /// A PING, in a <c>PING</c> client span when it is part of a recorded trace (none for background probes): the
    /// round trip, or the error (a Redis error or the timeout) when it did not answer; cancellation is thrown.
    /// Without Redis, neither.
    /// </summary>
    public async Task<RedisPing> PingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (redis is null)
        {
            return default;
        }

        try
        {
            return new RedisPing(await RedisCommandSpans.TraceAsync(redis, "PING", SeedMcpTelemetry.Redis.PingSpan,
                () => redis.GetDatabase().PingAsync().WaitAsync(timeout, cancellationToken)), null);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return new RedisPing(null, exception.Message);
        }
    }
}

/// <summary>What one PING found: its round trip, or why there was none.</summary>
public readonly record struct RedisPing(TimeSpan? RoundTrip, string? Error);
