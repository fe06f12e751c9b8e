namespace SeedMcp.Server.RateLimiting;

internal static partial class RateLimitingLog
{
    // Debug: under attack this would be a line per request; ASP.NET Core's aspnetcore.rate_limiting.requests metric counts them.
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug,
        Message = "Rate limit '{Scope}' exceeded by {UserId} ({PermitLimit} requests per {Window}); answering 429, retry after {RetryAfterSeconds} s")]
    public static partial void Rejected(ILogger logger, string scope, string userId, int permitLimit, TimeSpan window, long retryAfterSeconds);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "The rate limiter's Redis did not answer for limit '{Scope}': failing open, requests to /mcp are NOT rate limited until it answers again")]
    public static partial void FailedOpen(ILogger logger, string scope, Exception exception);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information,
        Message = "Rate limiting on /mcp: {PermitLimit} requests per caller and {GlobalPermitLimit} in total per {Window}, counted in {Store}")]
    public static partial void Enabled(ILogger logger, int permitLimit, int globalPermitLimit, TimeSpan window, string store);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Rate limiting on /mcp is disabled (RateLimiting:Enabled=false)")]
    public static partial void Disabled(ILogger logger);
}
