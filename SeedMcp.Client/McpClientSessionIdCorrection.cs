using System.Diagnostics;
using OpenTelemetry;

namespace SeedMcp.Client;

/// <summary>
/// The MCP SDK tags its client spans with <c>mcp.session.id</c> = a GUID of its own, which no server or log knows. The
/// MCP conventions want the session the client holds (<c>Mcp-Session-Id</c>), and no attribute at all on sessionless
/// (2026-07-28) requests. Registered before the exporter's processor, so the span is corrected before it is queued.
/// </summary>
public sealed class McpClientSessionIdCorrection : BaseProcessor<Activity>
{
    private const string SessionIdAttribute = "mcp.session.id";
    private volatile string? _sessionId;

    /// <summary>The session the client now holds; null while it has none, and for a sessionless protocol.</summary>
    public void Use(string? sessionId) => _sessionId = sessionId;

    public override void OnEnd(Activity data)
    {
        if (data.Kind == ActivityKind.Client && data.Source.Name == ClientScenario.McpSdkTelemetryName)
        {
            // null removes the SDK's tag.
            data.SetTag(SessionIdAttribute, _sessionId);
        }
    }
}
