using System.Diagnostics;
using ModelContextProtocol.Server;

namespace SeedMcp.Server.Telemetry;

/// <summary>
/// Corrects the MCP SDK's server span (it is <c>Activity.Current</c> while incoming-message filters run, its own
/// tags already set): <c>mcp.session.id</c> becomes the <c>Mcp-Session-Id</c> the client holds — the SDK writes a
/// GUID of its own that changes per replica and on every restore — and is removed for sessionless (2026-07-28)
/// requests, which the conventions say MUST NOT carry it; <c>client.address</c>, <c>client.port</c> and
/// <c>network.protocol.version</c> are added from the HTTP request.
/// </summary>
public static class McpServerSpanFilter
{
    public static McpMessageHandler Create(McpMessageHandler next) => (context, cancellationToken) =>
    {
        if (Activity.Current is { IsAllDataRequested: true, Kind: ActivityKind.Server } span
            && span.Source.Name == SeedMcpTelemetry.Sources.McpSdk)
        {
            span.SetTag(SeedMcpTelemetry.Mcp.SessionId, context.Server.SessionId);
            if (McpRequestTelemetry.Current is { } request)
            {
                if (request.ClientAddress is not null)
                {
                    span.SetTag(SeedMcpTelemetry.Mcp.ClientAddress, request.ClientAddress);
                    span.SetTag(SeedMcpTelemetry.Mcp.ClientPort, request.ClientPort);
                }

                span.SetTag(SeedMcpTelemetry.Mcp.NetworkProtocolVersion, request.NetworkProtocolVersion);
            }
        }

        return next(context, cancellationToken);
    };
}
