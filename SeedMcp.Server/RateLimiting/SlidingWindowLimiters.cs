using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using RedisRateLimiting;
using SeedMcp.Server.Sessions;
using StackExchange.Redis;

namespace SeedMcp.Server.RateLimiting;

/// <summary>Creates the sliding-window limiter behind one partition (a caller, or the global cap), observed.</summary>
internal abstract class SlidingWindowLimiters(IOptions<RateLimitingOptions> options, RateLimitTelemetry telemetry)
{
    protected RateLimitingOptions Options { get; } = options.Value;

    /// <summary>"redis" or "memory", as in the startup log line.</summary>
    public abstract string Store { get; }

    /// <summary>How long a decision may take before the request is let through; null when the store cannot stall.</summary>
    protected abstract TimeSpan? FailOpenAfter { get; }

    public RateLimiter Create(string scope, string partitionKey, int permitLimit) =>
        new ObservedRateLimiter(CreateStoreLimiter(partitionKey, permitLimit), scope, permitLimit, Options.Window, FailOpenAfter, telemetry);

    protected abstract RateLimiter CreateStoreLimiter(string partitionKey, int permitLimit);
}

/// <summary>
/// RedisRateLimiting's sliding window (a sorted set of request timestamps per partition, one Lua call per request), so
/// all replicas share one window. Keys: <c>rl:sw:{&lt;Sessions:KeyPrefix&gt;:&lt;partition&gt;}</c>.
/// </summary>
internal sealed class RedisSlidingWindowLimiters(
    IConnectionMultiplexer redis,
    IOptions<McpSessionOptions> sessions,
    IOptions<RateLimitingOptions> options,
    RateLimitTelemetry telemetry) : SlidingWindowLimiters(options, telemetry)
{
    public override string Store => "redis";

    protected override TimeSpan? FailOpenAfter => Options.RedisTimeout;

    protected override RateLimiter CreateStoreLimiter(string partitionKey, int permitLimit) =>
        new RedisSlidingWindowRateLimiter<string>(sessions.Value.KeyPrefix + ":" + partitionKey, new RedisSlidingWindowRateLimiterOptions
        {
            PermitLimit = permitLimit,
            Window = Options.Window,
            ConnectionMultiplexerFactory = () => redis,
        });
}

/// <summary>ASP.NET Core's in-process sliding window, for a server without Redis (one instance, in-memory sessions).</summary>
internal sealed class InProcessSlidingWindowLimiters(IOptions<RateLimitingOptions> options, RateLimitTelemetry telemetry)
    : SlidingWindowLimiters(options, telemetry)
{
    public override string Store => "memory";

    protected override TimeSpan? FailOpenAfter => null;

    protected override RateLimiter CreateStoreLimiter(string partitionKey, int permitLimit) =>
        new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permitLimit,
            Window = Options.Window,
            SegmentsPerWindow = Options.SegmentsPerWindow,
            QueueLimit = 0,
            // The partitioned limiter cannot see through the observing wrapper to replenish it, so the limiter does.
            AutoReplenishment = true,
        });
}
