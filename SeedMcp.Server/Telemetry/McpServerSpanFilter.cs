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
            && span.Source.Name == Microsoft.Extensions.Hosting.Extensions.McpSdkTelemetrySourceName)
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

/// <summary>
/// Caller mistakes are not server errors: the MCP SDK marks every JSON-RPC error ERROR, but for the codes the MCP
/// conventions list (<see cref="SeedMcpTelemetry.Mcp.CallerMistakeCodes"/>) the server span's status goes back to
/// unset as it ends. <c>error.type</c> and <c>rpc.response.status_code</c> keep naming the code.
/// </summary>
public sealed class CallerMistakeSpans : Microsoft.Extensions.Hosting.ISpanEndHandler
{
    public void OnEnd(Activity span)
    {
        if (span.Status == ActivityStatusCode.Error
            && span.Kind == ActivityKind.Server
            && span.Source.Name == Microsoft.Extensions.Hosting.Extensions.McpSdkTelemetrySourceName
            && SeedMcpTelemetry.Mcp.IsCallerMistake(span.GetTagItem(SeedMcpTelemetry.Mcp.RpcResponseStatusCode) as string))
        {
            span.SetStatus(ActivityStatusCode.Unset);
        }
    }
}
