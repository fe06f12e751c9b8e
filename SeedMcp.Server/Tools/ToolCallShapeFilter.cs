using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace SeedMcp.Server.Tools;

/// <summary>
/// Checks the shape of <c>tools/call</c> params before the SDK deserializes them: a <c>name</c> that is a string and
/// <c>arguments</c> that are an object. Without it, a malformed call reaches the client as the SDK's bare
/// "-32603 An error occurred."; with it, as -32602 naming what is wrong.
/// </summary>
public static class ToolCallShapeFilter
{
    public static McpMessageHandler Create(McpMessageHandler next) => (context, cancellationToken) =>
    {
        if (context.JsonRpcMessage is JsonRpcRequest { Method: RequestMethods.ToolsCall } request && FindProblem(request.Params) is { } problem)
        {
            throw new McpProtocolException($"Invalid params for tools/call: {problem}.", McpErrorCode.InvalidParams);
        }

        return next(context, cancellationToken);
    };

    public static string? FindProblem(JsonNode? parameters) => parameters switch
    {
        not JsonObject => "params must be an object with 'name' and 'arguments'",
        JsonObject body when body["name"] is not JsonValue name || name.GetValueKind() is not System.Text.Json.JsonValueKind.String =>
            "'name' must be the tool's name as a string",
        JsonObject body when body["arguments"] is { } arguments && arguments is not JsonObject =>
            "'arguments' must be an object mapping argument names to values",
        _ => null,
    };
}
