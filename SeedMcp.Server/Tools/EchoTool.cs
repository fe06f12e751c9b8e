using System.ComponentModel;
using ModelContextProtocol.Server;

namespace SeedMcp.Server.Tools;

[McpServerToolType]
public sealed class EchoTool
{
    [McpServerTool(Name = "echo", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Returns the message it is given, unchanged. Use it to check connectivity, latency and tracing end to end.")]
    public static string Echo([Description("The text to send back.")] string message) => message;
}
