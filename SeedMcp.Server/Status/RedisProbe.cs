using StackExchange.Redis;

using SeedMcp.Server.Telemetry;

namespace SeedMcp.Server.Status;

/// <summary>Measures a Redis round trip with PING; reports "not configured" when the server runs without Redis.</summary>
public sealed class RedisProbe(IServiceProvider services)
{
    private readonly IConnectionMultiplexer? _redis = services.GetService<IConnectionMultiplexer>();

    public async Task<RedisStatus> ProbeAsync(CancellationToken cancellationToken)
    {
        if (_redis is null)
        {
            return new RedisStatus(Configured: false, Reachable: false, RoundTripMilliseconds: null, Error: null);
        }

        try
        {
            var roundTrip = await RedisCommandSpans.TraceAsync(_redis, "PING", SeedMcpTelemetry.Redis.PingSpan,
                () => _redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken));
            return new RedisStatus(true, true, Math.Round(roundTrip.TotalMilliseconds, 3), null);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return new RedisStatus(true, false, null, exception.Message);
        }
    }
}
