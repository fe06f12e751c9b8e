namespace SeedMcp.Server.Telemetry;

/// <summary>
/// Every telemetry name SeedMcp emits: ActivitySource/Meter names (one per component), span names and attribute keys.
/// Attribute keys follow OpenTelemetry semantic conventions where one exists. Every source and meter listed in
/// <see cref="Sources.All"/> and <see cref="Meters.All"/> is subscribed to in one place, <c>TelemetryExtensions</c>.
/// </summary>
/// <remarks>
/// EventIds of the server's log lines, one range per component (unique across log classes):
/// 1000–1999 Sessions (<c>SessionLog</c>), 2000–2099 Auth (<c>AuthLog</c>), 2100–2199 Mcp (<c>McpRequestGuard</c>),
/// 3000–3099 RateLimiting (<c>RateLimitingLog</c>), 3100–3199 Status (<c>StatusMonitor</c>); ServiceDefaults uses
/// 9000–9999 (9001–9002 OpenTelemetry self-diagnostics, 9101–9102 drain and final flush).
/// </remarks>
public static partial class SeedMcpTelemetry
{
    public static class Sources
    {
        public const string Sessions = "SeedMcp.Server.Sessions";
        public const string Tools = "SeedMcp.Server.Tools";
        public const string Auth = "SeedMcp.Server.Auth";
        public const string Redis = "SeedMcp.Server.Redis";

        /// <summary>The MCP C# SDK's ActivitySource (and Meter): the MCP semantic-convention spans and histograms.</summary>
        public const string McpSdk = "Experimental.ModelContextProtocol";

        public static readonly string[] All = [Sessions, Tools, Auth, Redis, McpSdk];
    }

    /// <summary>Meters, one per component, and their instruments (Prometheus names in comments).</summary>
    public static class Meters
    {
        public const string Tools = "SeedMcp.Server.Tools";
        public const string Status = "SeedMcp.Server.Status";
        public const string RateLimiting = "SeedMcp.Server.RateLimiting";

        /// <summary>IdentityModel's own meter: key-set refreshes (and failures) and signature validations.</summary>
        public const string IdentityModel = "MicrosoftIdentityModel_Meter";

        /// <summary>The MCP SDK's <c>mcp.{client|server}.{operation|session}.duration</c> histograms.</summary>
        public const string McpSdk = Sources.McpSdk;

        /// <summary><c>seedmcp_tool_calls_total{tool,outcome}</c>; outcome is <c>ok</c> or <c>error</c>.</summary>
        public const string ToolCalls = "seedmcp.tool.calls";

        /// <summary><c>seedmcp_sessions_active</c>: live sessions in the store, refreshed every few seconds.</summary>
        public const string SessionsActive = "seedmcp.sessions.active";

        /// <summary><c>seedmcp_redis_roundtrip_seconds</c>: PING round trips to Redis.</summary>
        public const string RedisRoundTrip = "seedmcp.redis.roundtrip";

        /// <summary><c>seedmcp_redis_up</c>: 1 when the last PING answered, 0 when it failed (absent without Redis).</summary>
        public const string RedisUp = "seedmcp.redis.up";

        public static readonly string[] All = [Tools, Status, RateLimiting, IdentityModel, McpSdk];
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

    /// <summary>Client spans of SeedMcp's Redis commands (source <see cref="Sources.Redis"/>): <c>{command} {purpose}</c>.</summary>
    public static class Redis
    {
        public const string SessionTouchSpan = "EVALSHA session.touch";
        public const string SessionCreateSpan = "MULTI session.create";
        public const string SessionLoadSpan = "HGETALL session.load";
        public const string SessionRemoveSpan = "MULTI session.end";
        public const string RateLimitSpan = "EVALSHA rate_limit";
        public const string PingSpan = "PING";

        public const string SystemAttribute = "db.system.name";
        public const string SystemName = "redis";
        public const string OperationAttribute = "db.operation.name";
        public const string ServerAddressAttribute = "server.address";
        public const string ServerPortAttribute = "server.port";
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
        public const string Outcome = "outcome";
        public const string Tool = "tool";
        public const string CacheKey = "cache.key";
        public const string CacheTtl = "cache.ttl";

        /// <summary>Prefix of span attributes copied from W3C baggage entries.</summary>
        public const string BaggagePrefix = "baggage.";
    }

    /// <summary>
    /// OpenTelemetry's MCP and GenAI semantic conventions (open-telemetry/semantic-conventions-genai, <c>model/mcp</c>)
    /// as far as SeedMcp sets or corrects them; the MCP SDK sets the rest.
    /// </summary>
    public static class Mcp
    {
        /// <summary>The <c>Mcp-Session-Id</c> the client holds; never set for sessionless (2026-07-28) requests.</summary>
        public const string SessionId = "mcp.session.id";
        public const string GenAiOperationName = "gen_ai.operation.name";
        public const string GenAiToolName = "gen_ai.tool.name";
        public const string ExecuteTool = "execute_tool";
        public const string RpcResponseStatusCode = "rpc.response.status_code";
        public const string ClientAddress = "client.address";
        public const string ClientPort = "client.port";
        public const string NetworkProtocolVersion = "network.protocol.version";

        /// <summary>
        /// JSON-RPC error codes the conventions say a server SHOULD NOT consider errors: the caller sent a request
        /// the server could not serve (parse error, invalid request, method not found, invalid params — also an
        /// unknown tool —, resource not found). Their spans get no ERROR status; <c>error.type</c> still names the code.
        /// </summary>
        public static readonly string[] CallerMistakeCodes = ["-32700", "-32600", "-32601", "-32602", "-32002"];

        public static bool IsCallerMistake(string? code) => code is not null && Array.IndexOf(CallerMistakeCodes, code) >= 0;
    }

    public static class Values
    {
        public const string OutcomeOk = "ok";
        public const string OutcomeError = "error";

        public const string UnknownSession = "unknown";

        /// <summary><c>error.type</c> of a tool call cancelled at its deadline.</summary>
        public const string Timeout = "timeout";

        /// <summary><c>error.type</c> of a tool that answered with an <c>isError</c> result rather than throwing.</summary>
        public const string ToolError = "tool_error";
    }
}
