using System.ComponentModel;
using ModelContextProtocol.Server;

namespace SeedMcp.Tests.Telemetry;

/// <summary>A tool that fails the way real tools fail: by throwing.</summary>
[McpServerToolType]
public sealed class FailingTool
{
    [McpServerTool(Name = "explode"), Description("Always throws.")]
    public static string Explode([Description("Ignored.")] string reason) => throw new InvalidOperationException($"exploded: {reason}");
}
