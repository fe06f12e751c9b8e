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
    }
}
