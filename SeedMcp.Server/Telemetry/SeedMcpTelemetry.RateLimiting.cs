namespace SeedMcp.Server.Telemetry;

public static partial class SeedMcpTelemetry
{
    /// <summary>
    /// Rate-limit decisions, recorded as events on the current (HTTP server) span, and the fail-open counter.
    /// </summary>
    public static class RateLimiting
    {
        /// <summary>The meter of <see cref="FailedOpenCounter"/>.</summary>
        public const string MeterName = Meters.RateLimiting;

        public const string AcquiredEvent = "rate_limit.acquired";
        public const string RejectedEvent = "rate_limit.rejected";
        public const string FailedOpenEvent = "rate_limit.failed_open";

        /// <summary><c>caller</c> (per user, or per client IP when anonymous) or <c>global</c>.</summary>
        public const string ScopeAttribute = "rate_limit.scope";
        public const string PermitLimitAttribute = "rate_limit.permit_limit";
        public const string RemainingAttribute = "rate_limit.remaining";
        public const string RetryAfterAttribute = "rate_limit.retry_after_s";

        public const string FailedOpenCounter = "seedmcp.rate_limit.failed_open";
    }
}
