using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SeedMcp.Server.Telemetry;

namespace SeedMcp.Server.Tools;

/// <summary>
/// The call-tool filter that counts every tool execution by outcome and puts it in a <c>tool.execute.&lt;tool&gt;</c> span, a child of the MCP
/// SDK's <c>tools/call &lt;tool&gt;</c> span, tagged with who called it in which session. The outermost step of the
/// tool pipeline: failures reach it as what the steps inside return or throw — an <c>isError</c> result
/// (<c>error.type</c> <c>tool_error</c>), a <see cref="ToolCallFailedException"/> (its <c>error.type</c>, answered with its
/// result) or any other exception — and mark the span ERROR. Argument values are recorded only when configured, truncated.
/// </summary>
public sealed class ToolTelemetryFilter(IOptions<TelemetryPrivacyOptions> options, ToolMetrics metrics, TelemetryUserId userIds)
{
    private readonly ConcurrentDictionary<string, string> _spanNames = new(StringComparer.Ordinal);
    private readonly TelemetryPrivacyOptions _options = options.Value;

    public async ValueTask<CallToolResult> InvokeAsync(
        RequestContext<CallToolRequestParams> request,
        McpRequestHandler<CallToolRequestParams, CallToolResult> next,
        CancellationToken cancellationToken)
    {
        if (request.MatchedPrimitive is not McpServerTool tool)
        {
            return await next(request, cancellationToken);
        }

        var toolName = tool.ProtocolTool.Name;
        if (!SeedMcpActivitySources.Tools.HasListeners())
        {
            return await CountAsync(request, next, toolName, cancellationToken);
        }

        var sessionId = request.Server.SessionId;
        using var activity = SeedMcpActivitySources.Tools.StartActivity(
            _spanNames.GetOrAdd(toolName, static name => SeedMcpTelemetry.Spans.ToolExecutePrefix + name));
        if (activity is null)
        {
            return await CountAsync(request, next, toolName, cancellationToken);
        }

        if (activity.IsAllDataRequested)
        {
            Tag(activity, request, toolName, sessionId);
        }

        try
        {
            var result = await next(request, cancellationToken);
            metrics.Called(toolName, failed: result.IsError is true);
            if (result.IsError is true)
            {
                RecordError(activity, result, SeedMcpTelemetry.Values.ToolError);
            }
            else
            {
                activity.SetStatus(ActivityStatusCode.Ok);
            }

            return result;
        }
        catch (ToolCallFailedException failure)
        {
            metrics.Called(toolName, failed: true);
            RecordError(activity, failure.Result, failure.ErrorType);
            return failure.Result;
        }
        catch (Exception exception)
        {
            metrics.Called(toolName, failed: true);
            activity.RecordFailure(exception);
            throw;
        }
    }

    private async ValueTask<CallToolResult> CountAsync(
        RequestContext<CallToolRequestParams> request,
        McpRequestHandler<CallToolRequestParams, CallToolResult> next,
        string toolName,
        CancellationToken cancellationToken)
    {
        var failed = true;
        try
        {
            var result = await next(request, cancellationToken);
            failed = result.IsError is true;
            return result;
        }
        catch (ToolCallFailedException failure)
        {
            return failure.Result;
        }
        finally
        {
            metrics.Called(toolName, failed);
        }
    }

    private static void RecordError(Activity activity, CallToolResult result, string errorType)
    {
        activity.SetStatus(ActivityStatusCode.Error, result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text);
        activity.SetTag(SeedMcpTelemetry.Attributes.ErrorType, errorType);
    }

    private void Tag(Activity activity, RequestContext<CallToolRequestParams> request, string toolName, string? sessionId)
    {
        // The GenAI execute_tool conventions next to the seed's own names, which stay as the seed defines them.
        activity.SetTag(SeedMcpTelemetry.Mcp.GenAiOperationName, SeedMcpTelemetry.Mcp.ExecuteTool);
        activity.SetTag(SeedMcpTelemetry.Mcp.GenAiToolName, toolName);
        activity.SetTag(SeedMcpTelemetry.Attributes.ToolName, toolName);
        activity.SetTag(SeedMcpTelemetry.Attributes.UserId, userIds.Of(request.User));
        activity.SetTag(SeedMcpTelemetry.Attributes.SessionId, sessionId ?? SeedMcpTelemetry.Values.UnknownSession);

        // Allow-listed, bounded W3C baggage from the header and params._meta (BaggageAttributes).
        if (McpRequestTelemetry.Current is { Baggage.Count: > 0 } requestTelemetry)
        {
            foreach (var (key, value) in requestTelemetry.Baggage)
            {
                activity.SetTag(key, value);
            }
        }

        if (_options.RecordToolArguments && request.Params?.Arguments is { Count: > 0 } arguments)
        {
            var json = JsonSerializer.Serialize(arguments, ToolTracingJsonContext.Default.IDictionaryStringJsonElement);
            activity.SetTag(SeedMcpTelemetry.Attributes.ToolArguments,
                json.Length <= _options.ToolArgumentsMaxLength ? json : string.Concat(json.AsSpan(0, _options.ToolArgumentsMaxLength), "…"));
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(IDictionary<string, JsonElement>))]
internal sealed partial class ToolTracingJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
