namespace SeedMcp.Server.Telemetry;

public static partial class SeedMcpTelemetry
{
    /// <summary>Bearer-token validation: one span per request to the MCP endpoint (source <see cref="Sources.Auth"/>).</summary>
    public static class Authentication
    {
        public const string ValidateSpan = "auth.validate";

        /// <summary>What validation concluded: <c>ok</c>, <c>expired</c>, <c>unknown_kid</c>… (see <c>AuthOutcome</c>).</summary>
        public const string OutcomeAttribute = "auth.outcome";

        /// <summary>Whether the token's validation was remembered from an earlier request (see <c>CachingTokenHandler</c>).</summary>
        public const string CacheHitAttribute = "auth.cache.hit";

        /// <summary>IdentityModel's own meter: key-set refreshes (and failures) and signature validations.</summary>
        public const string IdentityModelMeterName = "MicrosoftIdentityModel_Meter";
    }

    /// <summary>
    /// Rate-limit decisions, recorded as events on the current (HTTP server) span, and the fail-open counter.
    /// </summary>
    public static class RateLimiting
    {
        public const string MeterName = "SeedMcp.Server.RateLimiting";

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
