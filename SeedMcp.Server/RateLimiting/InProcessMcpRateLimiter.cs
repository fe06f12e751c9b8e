using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace SeedMcp.Server.RateLimiting;

/// <summary>
/// ASP.NET Core's in-process sliding windows, one per caller and one global, chained; for a server without Redis
/// (one instance, in-memory sessions). A request the global window rejects has already spent its caller's permit.
/// </summary>
internal sealed class InProcessMcpRateLimiter : McpRateLimiter
{
    private readonly PartitionedRateLimiter<HttpContext> _perCaller;
    private readonly PartitionedRateLimiter<HttpContext> _global;
    private readonly PartitionedRateLimiter<HttpContext> _chain;

    public InProcessMcpRateLimiter(IOptions<RateLimitingOptions> options)
    {
        var settings = options.Value;
        _perCaller = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            IsLimited(context)
                ? RateLimitPartition.Get(CallerPartitionKey.For(context), _ => Window(RateLimitScope.Caller, settings.PermitLimit, settings))
                : RateLimitPartition.GetNoLimiter(string.Empty));
        _global = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            IsLimited(context)
                ? RateLimitPartition.Get(RateLimitScope.Global, _ => Window(RateLimitScope.Global, settings.GlobalPermitLimit, settings))
                : RateLimitPartition.GetNoLimiter(string.Empty));
        _chain = PartitionedRateLimiter.CreateChained(_perCaller, _global);
    }

    public override string Store => "memory";

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        _chain.AttemptAcquire(resource, permitCount);

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        _chain.AcquireAsync(resource, permitCount, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The chain does not own the limiters it chains.
            _chain.Dispose();
            _perCaller.Dispose();
            _global.Dispose();
        }

        base.Dispose(disposing);
    }

    private static ObservedRateLimiter Window(string scope, int permitLimit, RateLimitingOptions settings) =>
        new(new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permitLimit,
            Window = settings.Window,
            SegmentsPerWindow = settings.SegmentsPerWindow,
            QueueLimit = 0,
            // The partitioned limiter cannot see through the observing wrapper to replenish it, so the limiter does.
            AutoReplenishment = true,
        }), scope, permitLimit, settings.Window);
}
