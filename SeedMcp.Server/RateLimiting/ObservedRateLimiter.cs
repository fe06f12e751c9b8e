using System.Threading.RateLimiting;

namespace SeedMcp.Server.RateLimiting;

/// <summary>
/// Wraps one in-process sliding window (a caller's, or the global one): records every decision on the current span
/// and marks rejections with their scope and a Retry-After for the 429 writer.
/// </summary>
internal sealed class ObservedRateLimiter(RateLimiter inner, string scope, int permitLimit, TimeSpan window) : RateLimiter
{
    public override TimeSpan? IdleDuration => inner.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => inner.GetStatistics();

    /// <summary>
    /// Always "not here": decisions are made (and recorded) on the async path only, which ASP.NET Core's middleware
    /// then takes; otherwise a request would be recorded twice.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => DecisionLease.Deferred;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        var lease = await inner.AcquireAsync(permitCount, cancellationToken);
        if (lease.IsAcquired)
        {
            RateLimitTelemetry.Acquired(scope, permitLimit, remaining: null);
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
}
