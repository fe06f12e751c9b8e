using System.Threading.RateLimiting;

namespace SeedMcp.Server.RateLimiting;

/// <summary>
/// The two limits of <c>/mcp</c> as one limiter for ASP.NET Core's rate-limiting middleware: the caller's sliding
/// window first, then the global one. In that order a caller already over its own limit is turned away before it can
/// spend the budget every other caller shares. Other endpoints (health, metadata) are not limited.
/// </summary>
internal static class McpRateLimits
{
    public static PartitionedRateLimiter<HttpContext> Create(SlidingWindowLimiters limiters, RateLimitingOptions settings)
    {
        var perCaller = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            IsLimited(context, settings)
                ? RateLimitPartition.Get(CallerPartitionKey.For(context), key => limiters.Create(RateLimitScope.Caller, key, settings.PermitLimit))
                : RateLimitPartition.GetNoLimiter(string.Empty));
        var global = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            IsLimited(context, settings)
                ? RateLimitPartition.Get(RateLimitScope.Global, key => limiters.Create(RateLimitScope.Global, key, settings.GlobalPermitLimit))
                : RateLimitPartition.GetNoLimiter(string.Empty));
        return PartitionedRateLimiter.CreateChained(perCaller, global);
    }

    private static bool IsLimited(HttpContext context, RateLimitingOptions settings) =>
        settings.Enabled && context.GetEndpoint()?.Metadata.GetMetadata<McpRateLimitedEndpoint>() is not null;
}

/// <summary>Endpoint metadata that puts an endpoint under <see cref="McpRateLimits"/>.</summary>
internal sealed class McpRateLimitedEndpoint
{
    public static readonly McpRateLimitedEndpoint Instance = new();
}
