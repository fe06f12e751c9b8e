using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using SeedMcp.Server.Auth;
using SeedMcp.Server.Mcp;
using SeedMcp.Server.Telemetry;

namespace SeedMcp.Server.Sessions;

/// <summary>
/// The MCP SDK's hook for sessions that outlive one process: on <c>initialize</c> the session is written to the
/// <see cref="ISessionStore"/>; when a request names a session this instance has never seen (after a restart, or on
/// another replica) the stored <c>initialize</c> parameters bring it back, for its owner only.
/// </summary>
internal sealed class StoreSessionMigrationHandler(ISessionStore store, TelemetryUserId userIds, ILogger<StoreSessionMigrationHandler> logger)
    : ISessionMigrationHandler
{
    public async ValueTask OnSessionInitializedAsync(
        HttpContext context, string sessionId, InitializeRequestParams initializeParams, CancellationToken cancellationToken)
    {
        using var activity = SeedMcpActivitySources.Sessions.StartActivity(SeedMcpTelemetry.Spans.SessionOpen);
        var userId = CallerIdentity.UserId(context.User);
        activity?.SetTag(SeedMcpTelemetry.Attributes.SessionId, sessionId);
        activity?.SetTag(SeedMcpTelemetry.Attributes.SessionStore, store.Kind);

        var record = await store.CreateAsync(
            new NewSession(
                sessionId,
                userId,
                initializeParams.ClientInfo?.Name,
                initializeParams.ClientInfo?.Version,
                initializeParams.ProtocolVersion,
                JsonSerializer.Serialize(initializeParams, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(InitializeRequestParams)))),
            cancellationToken);

        if (!context.Response.HasStarted)
        {
            context.Response.Headers[McpEndpoint.SessionExpiresAtHeader] = record.ExpiresAt.ToString("O");
        }

        // The log names the user as all telemetry does: pseudonymised when configured.
        var loggedUserId = userIds.Format(userId);
        SessionLog.SessionOpened(logger, sessionId, loggedUserId, record.ClientName, record.ClientVersion, record.ExpiresAt);
    }

    public async ValueTask<InitializeRequestParams?> AllowSessionMigrationAsync(
        HttpContext context, string sessionId, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(sessionId, cancellationToken);
        if (record is null || record.UserId != CallerIdentity.UserId(context.User))
        {
            return null;
        }

        SessionLog.SessionRestored(logger, sessionId, store.Kind);
        return (InitializeRequestParams?)JsonSerializer.Deserialize(
            record.InitializeParams, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(InitializeRequestParams)));
    }
}
