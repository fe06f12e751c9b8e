using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SeedMcp.Server.Auth;
using SeedMcp.Server.Mcp;

namespace SeedMcp.Server.RateLimiting;

/// <summary>The 429 answer: <c>Retry-After</c> in seconds and a JSON-RPC error saying which limit was hit.</summary>
internal sealed class RateLimitRejection(IOptions<RateLimitingOptions> options, SeedMcp.Server.Telemetry.TelemetryUserId userIds, ILogger<RateLimitRejection> logger)
{
    public ValueTask WriteAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var settings = options.Value;
        var scope = rejected.Lease.TryGetMetadata(DecisionLease.Scope, out var named) ? named! : RateLimitScope.Caller;
        var permitLimit = rejected.Lease.TryGetMetadata(DecisionLease.PermitLimit, out var limit) ? limit : settings.PermitLimit;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : settings.Window;
        var retryAfterSeconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));

        var userId = userIds.Of(context.User);
        RateLimitingLog.Rejected(logger, scope, userId, permitLimit, settings.Window, retryAfterSeconds);
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var who = scope == RateLimitScope.Global ? "from all callers together" : "from one caller";
        var message = string.Create(CultureInfo.InvariantCulture, $"Too Many Requests: at most {permitLimit} requests per {settings.Window.TotalSeconds:0.###} s are accepted {who}. Retry after {retryAfterSeconds} s.");
        return new ValueTask(JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status429TooManyRequests, JsonRpcErrorResult.ServerErrorCode, message));
    }
}
