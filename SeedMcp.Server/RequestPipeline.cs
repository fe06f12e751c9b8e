using Microsoft.Extensions.Options;
using SeedMcp.Server.Auth;
using SeedMcp.Server.Mcp;
using SeedMcp.Server.RateLimiting;
using SeedMcp.Server.Sessions;
using SeedMcp.ServiceDefaults;

namespace SeedMcp.Server;

public static class RequestPipeline
{
    /// <summary>
    /// Every middleware of the server, in the order a request meets them — the README's "one request through the
    /// server". Nothing else adds middleware: no startup filter, no <c>Map…</c> helper. Steps that apply only to
    /// <c>/mcp</c> pass other paths (health, metrics, the RFC 9728 metadata) straight on.
    /// </summary>
    public static WebApplication UseSeedMcpPipeline(this WebApplication app)
    {
        // 1. The request's HTTP server span: named, tagged, and withdrawn for probes and scrapes (off with OTEL_ENABLED=false).
        app.UseHttpServerSpans();
        // 2. Routing: which endpoint the request is for (read by the span's name and by authorization).
        app.UseRouting();
        // 3. While draining at shutdown: 503 with Retry-After and a JSON-RPC error body; nothing behind starts new work.
        app.UseGracefulShutdown(JsonRpcErrorResult.WriteShuttingDownAsync);
        // 4. /mcp request guard: origin (DNS rebinding), media type, body size; refusals are JSON-RPC 4xx.
        app.UseMiddleware<McpRequestGuard>();
        // 5. /mcp trace context from params._meta, so everything after continues the caller's trace.
        app.UseMiddleware<McpTraceContextMiddleware>();
        // 6. Authentication: in Bearer mode, validation of /mcp inside an auth.validate span (the handler caches its
        //    result, so UseAuthentication does not validate again); the RFC 9728 metadata document is served here.
        if (app.Services.GetRequiredService<AuthSetup>().Mode is AuthMode.Bearer)
        {
            app.UseMiddleware<AuthenticationTracingMiddleware>();
        }

        app.UseAuthentication();
        // 7. Rate limiting, after authentication so callers are known by their subject: per caller and global.
        //    With RateLimiting:Enabled=false nothing is added (no limiter, no per-request rate-limiting metrics).
        if (app.Services.GetRequiredService<IOptions<RateLimitingOptions>>().Value.Enabled)
        {
            app.UseRateLimiter();
        }

        // 8. Authorization: the mcp-caller policy of /mcp (401/403 with the resource-metadata challenge).
        app.UseAuthorization();
        // 9. Session tracking: the store's say on the Mcp-Session-Id (404 unknown, 403 not yours, 503 store down).
        app.UseMiddleware<SessionTrackingMiddleware>();
        // Then the endpoint: the MCP SDK's Streamable HTTP handler (MapSeedMcp), or /health, /alive, /metrics.
        return app;
    }
}
