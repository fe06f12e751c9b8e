using System.ComponentModel;
using System.Net;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Server;

namespace SeedMcp.Benchmarks.Peers;

/// <summary>
/// The C# baseline: the smallest ModelContextProtocol.AspNetCore server with stateful sessions and one echo tool,
/// no Redis, no auth, no telemetry, logging at Warning. What SeedMcp adds on top of the SDK is measured against it.
/// </summary>
public static class SdkMinimalServer
{
    public static async Task<int> RunAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddMcpServer()
            .WithHttpTransport(http => http.SessionMode = HttpServerSessionMode.Stateful)
            .WithTools<EchoTool>();

        var app = builder.Build();
        app.MapMcp("/mcp");
        app.MapGet("/health", () => "Healthy");
        await app.RunAsync(cancellationToken);
        return 0;
    }

    [McpServerToolType]
    public sealed class EchoTool
    {
        [McpServerTool(Name = "echo", ReadOnly = true, Idempotent = true, OpenWorld = false)]
        [Description("Returns the message it is given, unchanged.")]
        public static string Echo([Description("The text to send back.")] string message) => message;
    }
}
