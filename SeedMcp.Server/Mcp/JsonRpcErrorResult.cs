using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace SeedMcp.Server.Mcp;

/// <summary>Writes a JSON-RPC error body with an HTTP status, shaped like the MCP SDK's own transport errors.</summary>
internal static class JsonRpcErrorResult
{
    /// <summary>The code the MCP SDK (and the TypeScript SDK) use for "Session not found".</summary>
    public const int SessionNotFoundCode = -32001;

    /// <summary>JSON-RPC "Invalid Request": the message itself cannot be accepted.</summary>
    public const int InvalidRequestCode = -32600;

    /// <summary>The JSON-RPC "server error" code used for transport-level refusals.</summary>
    public const int ServerErrorCode = -32000;

    /// <summary>
    /// The body of the 503 a request gets while the server drains at shutdown (the status and headers are set by
    /// ServiceDefaults' <c>UseGracefulShutdown</c>): a JSON-RPC error, which MCP clients understand and others can read.
    /// </summary>
    public static Task WriteShuttingDownAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(ShuttingDownBody, context.RequestAborted);
    }

    private static readonly string ShuttingDownBody = JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["jsonrpc"] = "2.0",
        ["id"] = null,
        ["error"] = new Dictionary<string, object> { ["code"] = ServerErrorCode, ["message"] = "Service Unavailable: the server is shutting down. Retry on another instance." },
    });

    public static Task WriteAsync(HttpContext context, int statusCode, int errorCode, string message)
    {
        var error = new JsonRpcError
        {
            Id = default,
            Error = new JsonRpcErrorDetail { Code = errorCode, Message = message },
        };
        return Results.Json(error, McpJsonUtilities.DefaultOptions, statusCode: statusCode).ExecuteAsync(context);
    }
}
