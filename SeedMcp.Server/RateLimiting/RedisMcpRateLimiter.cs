using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using SeedMcp.Server.Redis;
using StackExchange.Redis;

namespace SeedMcp.Server.RateLimiting;

/// <summary>
/// Both limits counted in Redis, so all replicas share them, and Redis Cluster-ready: the caller's counter is in the
/// caller's own slot and the global limit is split over <see cref="GlobalLimitShards"/> counters in slots of their own
/// (<see cref="RedisKeys"/>), each decided by a one-key script (<see cref="RedisWindowScript"/>). The caller's and one
/// global shard's decisions are sent together (one round trip); a request one of them rejects is taken back from the
/// other, so it is counted in neither, and a caller over its own limit spends none of the shared budget. Records every
/// decision on the current span, and fails open — the request is served — when Redis errs or does not answer within
/// <see cref="RateLimitingOptions.RedisTimeout"/>: ASP.NET Core's limiter has no such mode.
/// </summary>
internal sealed class RedisMcpRateLimiter(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    IOptions<RateLimitingOptions> options,
    RateLimitTelemetry telemetry) : McpRateLimiter
{
    private readonly RateLimitingOptions _settings = options.Value;
    private readonly RedisKeys _keys = keys;
    private readonly GlobalLimitShards _shards = new(options.Value.GlobalPermitLimit, options.Value.GlobalShards);

    public override string Store => "redis";

    /// <summary>
    /// "Not here" for limited requests: the decision needs Redis, so ASP.NET Core's middleware then calls
    /// <see cref="AcquireAsyncCore"/>, where it is made (and recorded) once.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        IsLimited(resource) ? DecisionLease.Deferred : DecisionLease.Granted;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
    {
        if (!IsLimited(resource))
        {
            return DecisionLease.Granted;
        }

        (RedisWindowScript.Decision Caller, RedisWindowScript.Decision Global, int GlobalShard) decision;
        try
        {
            decision = await WithTimeoutAsync(DecideAsync(CallerPartitionKey.For(resource), permitCount), cancellationToken);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            telemetry.FailedOpen(RateLimitScope.Caller, exception);
            telemetry.FailedOpen(RateLimitScope.Global, exception);
            return DecisionLease.Granted;
        }

        var window = _settings.Window;
        var (caller, global, globalShard) = decision;
        if (!caller.Accepted)
        {
            return Rejected(RateLimitScope.Caller, _settings.PermitLimit,
                caller.Counter.RetryAfter(permitCount, _settings.PermitLimit, caller.Elapsed, window));
        }

        var shardLimit = _shards.LimitOf(globalShard);
        if (!global.Accepted)
        {
            return Rejected(RateLimitScope.Global, _settings.GlobalPermitLimit,
                global.Counter.RetryAfter(permitCount, shardLimit, global.Elapsed, window));
        }

        RateLimitTelemetry.Acquired(RateLimitScope.Caller, _settings.PermitLimit,
            caller.Counter.RemainingAfter(permitCount, _settings.PermitLimit, caller.Elapsed, window));
        // What is left of the whole limit, estimated from the shard this request was counted in.
        RateLimitTelemetry.Acquired(RateLimitScope.Global, _settings.GlobalPermitLimit,
            global.Counter.RemainingAfter(permitCount, shardLimit, global.Elapsed, window) * _shards.Count);
        return DecisionLease.Granted;
    }

    private async Task<(RedisWindowScript.Decision Caller, RedisWindowScript.Decision Global, int GlobalShard)> DecideAsync(string partitionKey, int permitCount)
    {
        var database = redis.GetDatabase();
        var window = _settings.Window;
        var shard = _shards.Next();
        var callerDecision = RedisWindowScript.EvaluateAsync(database, _keys.RateLimitCaller(partitionKey), window, _settings.PermitLimit, permitCount);
        var globalDecision = RedisWindowScript.EvaluateAsync(database, _keys.RateLimitGlobalShard(shard), window, _shards.LimitOf(shard), permitCount);
        var caller = await callerDecision;
        var global = await globalDecision;
        if (!caller.Accepted)
        {
            if (global.Accepted)
            {
                _ = RedisWindowScript.RefundAsync(database, global, permitCount);
            }

            return (caller, global, shard);
        }

        for (var extra = 0; !global.Accepted && extra < Math.Min(GlobalLimitShards.ExtraTries, _shards.Count - 1); extra++)
        {
            shard = _shards.After(shard);
            global = await RedisWindowScript.EvaluateAsync(database, _keys.RateLimitGlobalShard(shard), window, _shards.LimitOf(shard), permitCount);
        }

        if (!global.Accepted)
        {
            _ = RedisWindowScript.RefundAsync(database, caller, permitCount);
        }

        return (caller, global, shard);
    }

    /// <summary>
    /// StackExchange.Redis takes no cancellation token and may queue a command for seconds while it reconnects: stop
    /// waiting after RedisTimeout, and observe the late failure so it is not an unobserved task exception.
    /// </summary>
    private Task<T> WithTimeoutAsync<T>(Task<T> decision, CancellationToken cancellationToken)
    {
        if (decision.IsCompleted)
        {
            return decision;
        }

        _ = decision.ContinueWith(static task => _ = task.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return decision.WaitAsync(_settings.RedisTimeout, cancellationToken);
    }

    private static DecisionLease Rejected(string scope, int permitLimit, TimeSpan retryAfter)
    {
        RateLimitTelemetry.Rejected(scope, permitLimit, retryAfter);
        return DecisionLease.Rejected(scope, permitLimit, retryAfter);
    }
}
