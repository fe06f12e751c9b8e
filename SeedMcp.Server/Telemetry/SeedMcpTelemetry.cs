namespace SeedMcp.Server.Telemetry;

/// <summary>
/// Every telemetry name SeedMcp emits: ActivitySource/Meter names (one per component), span names and attribute keys.
/// Attribute keys follow OpenTelemetry semantic conventions where one exists.
/// </summary>
public static partial class SeedMcpTelemetry
{
    public static class Sources
    {
        public const string Sessions = "SeedMcp.Server.Sessions";
        public const string Tools = "SeedMcp.Server.Tools";

        public static readonly string[] All = [Sessions, Tools];
    }

    public static class Spans
    {
        public const string SessionTouch = "session.touch";
        public const string SessionOpen = "session.open";
        public const string SessionEnd = "session.end";
        public const string MetricsCollect = "metrics.collect";

        /// <summary>Prefix of the span around one tool execution: <c>tool.execute.&lt;tool name&gt;</c>.</summary>
        public const string ToolExecutePrefix = "tool.execute.";
    }

    public static class Events
    {
        public const string CacheHit = "cache.hit";
        public const string CacheMiss = "cache.miss";
    }

    public static class Attributes
    {
        public const string SessionId = "session.id";
        public const string UserId = "user.id";
        public const string SessionStore = "session.store";
        public const string SessionFound = "session.found";
        public const string ErrorType = "error.type";
        public const string ToolName = "tool.name";
        public const string ToolArguments = "tool.arguments";
        public const string McpTransportSessionId = "mcp.transport.session.id";
        public const string CacheKey = "cache.key";
        public const string CacheTtl = "cache.ttl";

        /// <summary>Prefix of span attributes copied from W3C baggage entries.</summary>
        public const string BaggagePrefix = "baggage.";
    }

    public static class Values
    {
        public const string UnknownSession = "unknown";

        /// <summary><c>error.type</c> of a tool that answered with an <c>isError</c> result rather than throwing.</summary>
        public const string ToolError = "tool_error";
    }
}
