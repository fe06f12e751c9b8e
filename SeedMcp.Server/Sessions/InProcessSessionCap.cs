using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;

namespace SeedMcp.Server.Sessions;

/// <summary>
/// <see cref="McpSessionOptions.MaxInProcess"/>, the most sessions this process holds. The MCP SDK enforces it as its
/// <c>MaxIdleSessionCount</c>: when a new session would exceed it, the SDK closes its least recently used idle session
/// first (and its background pass every 5 s prunes the same way). With Redis that session lives on in the store and
/// the SDK restores it at its next request (<see cref="StoreSessionMigrationHandler"/>). Without Redis it would be
/// lost, so <see cref="RefusesNewSessionsAsync"/> turns new sessions away at the cap instead.
/// </summary>
internal sealed class InProcessSessionCap(ISessionStore store, IOptions<McpSessionOptions> options) : IConfigureOptions<HttpServerTransportOptions>
{
    public int Limit => options.Value.MaxInProcess;

    /// <summary>Whether letting a session go keeps it (Redis) or loses it (process memory).</summary>
    private bool SessionsOutliveTheProcess => store.Kind != InMemorySessionStore.StoreKind;

    public void Configure(HttpServerTransportOptions http)
    {
        // Obsolete only because the SDK nudges new servers towards stateless; sessions are a requirement here.
#pragma warning disable MCP9006
        http.MaxIdleSessionCount = Limit;
#pragma warning restore MCP9006
    }

    /// <summary>True when a new session must be refused: no Redis to restore from, and the process is at the cap.</summary>
    public async ValueTask<bool> RefusesNewSessionsAsync(CancellationToken cancellationToken) =>
        !SessionsOutliveTheProcess && await store.CountActiveAsync(cancellationToken) >= Limit;
}
