using System.Diagnostics;
using SeedMcp.ServiceDefaults;

namespace SeedMcp.Server.Telemetry;

/// <summary>
/// Caller mistakes are not server errors: the MCP SDK marks every JSON-RPC error ERROR, but for the codes the MCP
/// conventions list (<see cref="SeedMcpTelemetry.Mcp.CallerMistakeCodes"/>) the server span's status goes back to
/// unset as it ends. <c>error.type</c> and <c>rpc.response.status_code</c> keep naming the code.
/// </summary>
public sealed class CallerMistakeSpans : ISpanEndHandler
{
    public void OnEnd(Activity span)
    {
        if (span.Status == ActivityStatusCode.Error
            && span.Kind == ActivityKind.Server
            && span.Source.Name == SeedMcpTelemetry.Sources.McpSdk
            && SeedMcpTelemetry.Mcp.IsCallerMistake(span.GetTagItem(SeedMcpTelemetry.Mcp.RpcResponseStatusCode) as string))
        {
            span.SetStatus(ActivityStatusCode.Unset);
        }
    }
}
