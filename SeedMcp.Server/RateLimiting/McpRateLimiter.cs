using System.Threading.RateLimiting;

namespace SeedMcp.Server.RateLimiting;

/// <summary>
/// The two limits of <c>/mcp</c> — the caller's window, then the global one — as one limiter for ASP.NET Core's
/// rate-limiting middleware. In that order a caller already over its own limit is turned away before it can spend the
/// budget every other caller shares. Other endpoints (health, metadata) are not limited.
/// </summary>
internal abstract class McpRateLimiter : PartitionedRateLimiter<HttpContext>
{
    /// <summary>"redis" or "memory", as in the startup log line.</summary>
    public abstract string Store { get; }

    protected static bool IsLimited(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<McpRateLimitedEndpoint>() is not null;

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;
}

/// <summary>Endpoint metadata that puts an endpoint under the <see cref="McpRateLimiter"/>.</summary>
internal sealed class McpRateLimitedEndpoint
{
    public static readonly McpRateLimitedEndpoint Instance = new();
}
