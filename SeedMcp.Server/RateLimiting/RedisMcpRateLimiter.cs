using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using SeedMcp.Server.Sessions;
using StackExchange.Redis;

namespace SeedMcp.Server.RateLimiting;

/// <summary>
/// Both limits counted in Redis, so all replicas share them: one script call per request decides the caller's and
/// the global window together (<see cref="RedisSlidingWindowScript"/>). Records every decision on the current span,
/// and fails open — the request is served — when Redis errs or does not answer within
/// <see cref="RateLimitingOptions.RedisTimeout"/>: ASP.NET Core's limiter has no such mode. Keys:
/// <c>{&lt;Sessions:KeyPrefix&gt;}:ratelimit:user:&lt;sub&gt;</c>, <c>…:ip:&lt;address&gt;</c>, <c>…:global</c>.
/// </summary>
internal sealed class RedisMcpRateLimiter(
    IConnectionMultiplexer redis,
    IOptions<McpSessionOptions> sessions,
    IOptions<RateLimitingOptions> options,
    RateLimitTelemetry telemetry) : McpRateLimiter
{
    private readonly RateLimitingOptions _settings = options.Value;
    private readonly string _keyPrefix = "{" + sessions.Value.KeyPrefix + "}:ratelimit:";

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

        RedisSlidingWindowScript.Decision decision;
        try
        {
            decision = await DecideAsync(CallerPartitionKey.For(resource), permitCount, cancellationToken);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            telemetry.FailedOpen(RateLimitScope.Caller, exception);
            telemetry.FailedOpen(RateLimitScope.Global, exception);
            return DecisionLease.Granted;
        }

        var window = _settings.Window;
        switch (decision.Verdict)
        {
            case RedisSlidingWindowScript.Verdict.CallerRejected:
                return Rejected(RateLimitScope.Caller, _settings.PermitLimit, decision.Caller.RetryAfter(permitCount, _settings.PermitLimit, decision.Elapsed, window));
            case RedisSlidingWindowScript.Verdict.GlobalRejected:
                return Rejected(RateLimitScope.Global, _settings.GlobalPermitLimit, decision.Global.RetryAfter(permitCount, _settings.GlobalPermitLimit, decision.Elapsed, window));
            default:
                RateLimitTelemetry.Acquired(RateLimitScope.Caller, _settings.PermitLimit,
                    decision.Caller.RemainingAfter(permitCount, _settings.PermitLimit, decision.Elapsed, window));
                RateLimitTelemetry.Acquired(RateLimitScope.Global, _settings.GlobalPermitLimit,
                    decision.Global.RemainingAfter(permitCount, _settings.GlobalPermitLimit, decision.Elapsed, window));
                return DecisionLease.Granted;
        }
    }

    private Task<RedisSlidingWindowScript.Decision> DecideAsync(string partitionKey, int permitCount, CancellationToken cancellationToken)
    {
        var decision = RedisSlidingWindowScript.EvaluateAsync(
            redis.GetDatabase(), _keyPrefix + partitionKey, _keyPrefix + RateLimitScope.Global, _settings.Window,
            _settings.PermitLimit, _settings.GlobalPermitLimit, permitCount);
        if (decision.IsCompleted)
        {
            return decision;
        }

        // StackExchange.Redis takes no cancellation token and may queue a command for seconds while it reconnects:
        // stop waiting after RedisTimeout, and observe the late failure so it is not an unobserved task exception.
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
