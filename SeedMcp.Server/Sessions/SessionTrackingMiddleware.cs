using System.Diagnostics;
using SeedMcp.Server.Auth;
using SeedMcp.Server.Mcp;
using SeedMcp.Server.Telemetry;
using StackExchange.Redis;

namespace SeedMcp.Server.Sessions;

/// <summary>
/// Makes the session store, not the SDK's process memory, the authority on which sessions exist. Every request naming
/// a session touches it (sliding expiry, last access; with Redis at most once per <c>Sessions:TouchInterval</c>, see
/// <see cref="ReplicaSessionCache"/>) in a <c>session.touch</c> span before the MCP SDK sees it; unknown or expired
/// sessions get the MCP-specified 404, another user's session a 403, and <c>DELETE /mcp</c> removes the stored record.
/// New sessions are refused (503) at the <see cref="InProcessSessionCap"/> when no Redis could take the ones let go.
/// </summary>
internal sealed class SessionTrackingMiddleware(
    RequestDelegate next, ISessionStore store, InProcessSessionCap cap, TelemetryUserId userIds, ILogger<SessionTrackingMiddleware> logger)
{
    /// <summary>Sessions expire or end all the time; a minute is a fair wait before asking again.</summary>
    private const string SessionCapRetryAfterSeconds = "60";

    public async Task InvokeAsync(HttpContext context)
    {
        var sessionId = context.Request.Headers[McpEndpoint.SessionIdHeader].ToString();
        if (sessionId.Length == 0
            || !context.Request.Path.StartsWithSegments(McpEndpoint.Path)
            || McpEndpoint.IsSessionless(context.Request.Headers[McpEndpoint.ProtocolVersionHeader]))
        {
            // No session to track: initialize (the migration handler stores it), or a 2026-07-28 request, which the
            // SDK serves statelessly whatever headers it carries.
            if (sessionId.Length == 0 && HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments(McpEndpoint.Path)
                && !McpEndpoint.IsSessionless(context.Request.Headers[McpEndpoint.ProtocolVersionHeader])
                && await cap.RefusesNewSessionsAsync(context.RequestAborted))
            {
                SessionLog.SessionCapReached(logger, cap.Limit);
                context.Response.Headers.RetryAfter = SessionCapRetryAfterSeconds;
                await JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, JsonRpcErrorResult.ServerErrorCode,
                    $"Service Unavailable: this server already holds its maximum of {cap.Limit} sessions (Sessions:MaxInProcess) and, " +
                    "without Redis, cannot let one go without losing it. Retry later or end unused sessions (DELETE /mcp); " +
                    "operators: configure Redis (ConnectionStrings:cache) or raise Sessions:MaxInProcess.");
                return;
            }

            await NextOrStoreUnavailableAsync(context);
            return;
        }

        var callerUserId = CallerIdentity.UserId(context.User);
        try
        {
            var proceed = HttpMethods.IsDelete(context.Request.Method)
                ? await EndAsync(context, sessionId, callerUserId)
                : await TouchAsync(context, sessionId, callerUserId);
            if (!proceed)
            {
                return;
            }
        }
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException)
        {
            await WriteStoreUnavailableAsync(context, exception);
            return;
        }

        await NextOrStoreUnavailableAsync(context);
    }

    /// <summary>
    /// The SDK's own store calls (StoreSessionMigrationHandler) fail as the touch does: <c>initialize</c> could not
    /// store the new session, or a session this replica has not seen could not be restored after its touch succeeded.
    /// The same retryable 503, not a 500.
    /// </summary>
    private async Task NextOrStoreUnavailableAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException && !context.Response.HasStarted)
        {
            await WriteStoreUnavailableAsync(context, exception);
        }
    }

    private Task WriteStoreUnavailableAsync(HttpContext context, Exception exception)
    {
        SessionLog.SessionStoreUnavailable(logger, exception);
        context.Response.Headers.RetryAfter = "1";
        return JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, JsonRpcErrorResult.ServerErrorCode,
            "Service Unavailable: the session store cannot be reached. Retry shortly.");
    }

    private async ValueTask<bool> TouchAsync(HttpContext context, string sessionId, string callerUserId)
    {
        SessionTouch touch;
        using (var activity = StartSessionActivity(SeedMcpTelemetry.Spans.SessionTouch, sessionId))
        {
            touch = await store.TouchAsync(sessionId, context.RequestAborted);
            activity?.SetTag(SeedMcpTelemetry.Attributes.SessionFound, touch.Found);
        }

        if (!await AuthorizeAsync(context, sessionId, touch.OwnerUserId, callerUserId))
        {
            return false;
        }

        context.Response.Headers[McpEndpoint.SessionExpiresAtHeader] = touch.ExpiresAt.ToString("O");
        return true;
    }

    private async ValueTask<bool> EndAsync(HttpContext context, string sessionId, string callerUserId)
    {
        using var activity = StartSessionActivity(SeedMcpTelemetry.Spans.SessionEnd, sessionId);
        var record = await store.GetAsync(sessionId, context.RequestAborted);
        activity?.SetTag(SeedMcpTelemetry.Attributes.SessionFound, record is not null);
        if (!await AuthorizeAsync(context, sessionId, record?.UserId, callerUserId))
        {
            return false;
        }

        await store.RemoveAsync(sessionId, context.RequestAborted);
        SessionLog.SessionEnded(logger, sessionId);
        // The SDK still disposes its in-process session (if this instance holds one) and answers the DELETE.
        return true;
    }

    private async ValueTask<bool> AuthorizeAsync(HttpContext context, string sessionId, string? ownerUserId, string callerUserId)
    {
        if (ownerUserId is null)
        {
            SessionLog.SessionNotFound(logger, sessionId);
            await JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status404NotFound, JsonRpcErrorResult.SessionNotFoundCode,
                "Session not found: it expired or was ended. Start a new session with an initialize request.");
            return false;
        }

        if (!string.Equals(ownerUserId, callerUserId, StringComparison.Ordinal))
        {
            var loggedUserId = userIds.Format(callerUserId);
            SessionLog.SessionOwnedByAnotherUser(logger, sessionId, loggedUserId);
            await JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status403Forbidden, JsonRpcErrorResult.ServerErrorCode,
                "Forbidden: this session belongs to another user.");
            return false;
        }

        return true;
    }

    private Activity? StartSessionActivity(string name, string sessionId)
    {
        var activity = SeedMcpActivitySources.Sessions.StartActivity(name);
        activity?.SetTag(SeedMcpTelemetry.Attributes.SessionId, sessionId);
        activity?.SetTag(SeedMcpTelemetry.Attributes.SessionStore, store.Kind);
        return activity;
    }
}
