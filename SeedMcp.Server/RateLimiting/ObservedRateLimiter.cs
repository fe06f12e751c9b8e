using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace SeedMcp.Server.RateLimiting;

/// <summary>
/// Wraps the sliding-window limiter of one scope: records every decision on the current span, marks rejections with
/// their scope and a Retry-After, and fails open when the limiter's store (Redis) errs or does not answer within
/// <c>failOpenAfter</c>. Neither ASP.NET Core nor RedisRateLimiting fails open, hence this small decorator.
/// </summary>
internal sealed class ObservedRateLimiter(
    RateLimiter inner,
    string scope,
    int permitLimit,
    TimeSpan window,
    TimeSpan? failOpenAfter,
    RateLimitTelemetry telemetry) : RateLimiter
{
    public override TimeSpan? IdleDuration => inner.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => inner.GetStatistics();

    /// <summary>
    /// Always "not here": decisions are made (and recorded) on the async path only. ASP.NET Core's middleware then
    /// calls <see cref="AcquireAsyncCore"/>; the Redis limiter cannot decide synchronously anyway.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => DecisionLease.Deferred;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        RateLimitLease lease;
        try
        {
            lease = await AcquireFromStoreAsync(permitCount, cancellationToken);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            telemetry.FailedOpen(scope, exception);
            return DecisionLease.FailedOpen(scope);
        }

        if (lease.IsAcquired)
        {
            RateLimitTelemetry.Acquired(scope, permitLimit,
                lease.TryGetMetadata(RedisRateLimiting.RateLimitMetadataName.Remaining, out var remaining) ? remaining : null);
            return lease;
        }

        // A sliding window frees a permit at the latest one window after the oldest counted request.
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var suggested) ? suggested : window;
        lease.Dispose();
        RateLimitTelemetry.Rejected(scope, permitLimit, retryAfter);
        return DecisionLease.Rejected(scope, permitLimit, retryAfter);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await inner.DisposeAsync();
        await base.DisposeAsyncCore();
    }

    private ValueTask<RateLimitLease> AcquireFromStoreAsync(int permitCount, CancellationToken cancellationToken)
    {
        var acquire = inner.AcquireAsync(permitCount, cancellationToken);
        if (failOpenAfter is not { } timeout || acquire.IsCompleted)
        {
            return acquire;
        }

        // StackExchange.Redis takes no cancellation token and may queue a command for seconds while it reconnects.
        var pending = acquire.AsTask();
        _ = pending.ContinueWith(static task => _ = task.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return new ValueTask<RateLimitLease>(pending.WaitAsync(timeout, cancellationToken));
    }
}
