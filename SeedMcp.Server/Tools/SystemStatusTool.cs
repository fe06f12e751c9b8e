using System.ComponentModel;
using ModelContextProtocol.Server;
using SeedMcp.Server.Status;

namespace SeedMcp.Server.Tools;

[McpServerToolType]
public sealed class SystemStatusTool(SystemStatusCollector collector)
{
    [McpServerTool(Name = "system_status", ReadOnly = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Reports the server's uptime, version, memory and garbage-collector figures, Redis reachability and round-trip latency, the number of active MCP sessions and whether tracing is on.")]
    public Task<SystemStatus> GetStatusAsync(CancellationToken cancellationToken) => collector.CollectAsync(cancellationToken);
}
