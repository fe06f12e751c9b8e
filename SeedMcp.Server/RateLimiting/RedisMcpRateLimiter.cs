using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using SeedMcp.Server.Redis;
using StackExchange.Redis;

namespace SeedMcp.Server.RateLimiting;

/// <summary>
/// Both limits counted in Redis, so all replicas share them, and Redis Cluster-ready: the caller's counter is in the
/// caller's own slot and the global limit is split over <see cref="GlobalLimitShards"/> counters in slots of their own
/// (<see cref="RedisKeys"/>), each decided by a one-key script (<see cref="RedisWindowScript"/>). Each replica leases
/// permits from those counters in batches (<see cref="PermitLeases"/>), so most requests are decided in memory; when
/// both need Redis, the caller's and one global shard's batches are asked for together (one round trip). A request
/// one of them rejects is given back to the other, so it is counted in neither, and a caller over its own limit spends
/// none of the shared budget. Records every decision on the current span, and fails open — the request is served —
/// when Redis errs or does not answer within <see cref="RateLimitingOptions.RedisTimeout"/>: ASP.NET Core's limiter
/// has no such mode.
/// </summary>
internal sealed class RedisMcpRateLimiter : McpRateLimiter
{
    private readonly RateLimitingOptions _settings;
    private readonly RateLimitTelemetry _telemetry;
    private readonly GlobalLimitShards _shards;
    private readonly PermitLeases _callers;
    private readonly PermitLeases _global;
    private readonly string[] _shardIds;

    public RedisMcpRateLimiter(IConnectionMultiplexer redis, RedisKeys keys, IOptions<RateLimitingOptions> options, RateLimitTelemetry telemetry, TimeProvider time)
    {
        _settings = options.Value;
        _telemetry = telemetry;
        _shards = new GlobalLimitShards(_settings.GlobalPermitLimit, _settings.GlobalShards);
        _shardIds = [.. Enumerable.Range(0, _shards.Count).Select(shard => shard.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        _callers = new PermitLeases(() => redis.GetDatabase(), keys.RateLimitCaller, _settings, time);
        _global = new PermitLeases(() => redis.GetDatabase(), id => keys.RateLimitGlobalShard(int.Parse(id, System.Globalization.CultureInfo.InvariantCulture)), _settings, time);
    }

    public override string Store => "redis";

    /// <summary>
    /// "Not here" for limited requests: the decision may need Redis, so ASP.NET Core's middleware then calls
    /// <see cref="AcquireAsyncCore"/>, where it is made (and recorded) once.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        IsLimited(resource) ? DecisionLease.Deferred : DecisionLease.Granted;

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
    {
        if (!IsLimited(resource))
        {
            return new ValueTask<RateLimitLease>(DecisionLease.Granted);
        }

        var callerId = CallerPartitionKey.For(resource);
        var shard = _shards.Next();
        if (_callers.TryTake(callerId, _settings.PermitLimit, permitCount, out var caller)
            && _global.TryTake(_shardIds[shard], _shards.LimitOf(shard), permitCount, out var global))
        {
            // Decided from memory (the usual case): no Redis, no state machine, no allocation.
            return new ValueTask<RateLimitLease>(Decide(caller, global, shard, permitCount));
        }

        return DecideAsync(callerId, caller.Accepted ? caller : null, shard, permitCount, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _callers.Dispose();
            _global.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <param name="fromLease">The caller's decision when its lease already gave it; otherwise it is asked for here.</param>
    private async ValueTask<RateLimitLease> DecideAsync(string callerId, LeaseDecision? fromLease, int shard, int permitCount, CancellationToken cancellationToken)
    {
        LeaseDecision caller, global;
        try
        {
            // When both need Redis, both batches are asked for before either answer is awaited: one round trip.
            var pendingCaller = fromLease is { } taken
                ? new ValueTask<LeaseDecision>(taken)
                : _callers.TakeAsync(callerId, _settings.PermitLimit, permitCount, cancellationToken);
            ValueTask<LeaseDecision> pendingGlobal;
            try
            {
                pendingGlobal = _global.TakeAsync(_shardIds[shard], _shards.LimitOf(shard), permitCount, cancellationToken);
            }
            finally
            {
                caller = await pendingCaller;
            }

            global = await pendingGlobal;
            if (caller.Accepted)
            {
                // A full shard: try up to ExtraTries further shards before the global limit rejects.
                for (var extra = 0; !global.Accepted && extra < Math.Min(GlobalLimitShards.ExtraTries, _shards.Count - 1); extra++)
                {
                    shard = _shards.After(shard);
                    global = await _global.TakeAsync(_shardIds[shard], _shards.LimitOf(shard), permitCount, cancellationToken);
                }
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return FailedOpen(exception);
        }

        return Decide(caller, global, shard, permitCount);
    }

    private DecisionLease Decide(LeaseDecision caller, LeaseDecision global, int shard, int permitCount)
    {
        if (!caller.Accepted)
        {
            if (global.Accepted)
            {
                _global.GiveBack(global, permitCount);
            }

            return Rejected(RateLimitScope.Caller, _settings.PermitLimit, caller.RetryAfter);
        }

        if (!global.Accepted)
        {
            _callers.GiveBack(caller, permitCount);
            return Rejected(RateLimitScope.Global, _settings.GlobalPermitLimit, global.RetryAfter);
        }

        RateLimitTelemetry.Acquired(RateLimitScope.Caller, _settings.PermitLimit, caller.Remaining);
        // What is left of the whole limit, estimated from the shard this request was counted in.
        RateLimitTelemetry.Acquired(RateLimitScope.Global, _settings.GlobalPermitLimit, global.Remaining * _shards.Count);
        return DecisionLease.Granted;
    }

    private DecisionLease FailedOpen(Exception exception)
    {
        _telemetry.FailedOpen(RateLimitScope.Caller, exception);
        _telemetry.FailedOpen(RateLimitScope.Global, exception);
        return DecisionLease.Granted;
    }

    private static DecisionLease Rejected(string scope, int permitLimit, TimeSpan retryAfter)
    {
        RateLimitTelemetry.Rejected(scope, permitLimit, retryAfter);
        return DecisionLease.Rejected(scope, permitLimit, retryAfter);
    }
}
