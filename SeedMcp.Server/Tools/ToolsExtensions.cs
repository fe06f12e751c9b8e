using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace SeedMcp.Server.Tools;

public static class ToolsExtensions
{
    /// <summary>
    /// The four tools and the whole tool pipeline, in the order a <c>tools/call</c> meets it:
    /// <list type="number">
    /// <item><see cref="ToolCallShapeFilter"/> (a message filter, before the SDK reads the params): malformed params are -32602;</item>
    /// <item><see cref="ToolTelemetryFilter"/>: the <c>tool.execute.&lt;tool&gt;</c> span and the call counter, outermost so
    /// every failure inside reaches it as a result or an exception;</item>
    /// <item><see cref="ToolTimeoutFilter"/>: the deadline;</item>
    /// <item>argument validation against the tool's input schema (<see cref="ToolArgumentValidator"/>);</item>
    /// <item>the tool.</item>
    /// </list>
    /// Nothing else adds a step to it.
    /// </summary>
    public static IMcpServerBuilder WithSeedMcpTools(this IMcpServerBuilder mcp)
    {
        mcp.Services.AddOptions<ToolOptions>()
            .BindConfiguration(ToolOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        mcp.Services.AddSingleton<ToolTelemetryFilter>();
        mcp.Services.AddSingleton<ToolTimeoutFilter>();

        return mcp
            .WithTools<EchoTool>()
            .WithTools<HealthCheckTool>()
            .WithTools<SystemStatusTool>()
            .WithTools<UserInfoTool>()
            .WithMessageFilters(filters => filters.AddIncomingFilter(ToolCallShapeFilter.Create))
            // Call-tool filters run in the order they are added, the first outermost.
            .WithRequestFilters(filters => filters
                .AddCallToolFilter(next => (request, cancellationToken) =>
                    request.Services!.GetRequiredService<ToolTelemetryFilter>().InvokeAsync(request, next, cancellationToken))
                .AddCallToolFilter(next => (request, cancellationToken) =>
                    request.Services!.GetRequiredService<ToolTimeoutFilter>().InvokeAsync(request, next, cancellationToken))
                .AddCallToolFilter(ValidateArguments));
    }

    private static McpRequestHandler<CallToolRequestParams, CallToolResult> ValidateArguments(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next) => (request, cancellationToken) =>
        {
            if (request.MatchedPrimitive is McpServerTool tool
                && ToolArgumentValidator.FindProblem(tool.ProtocolTool.InputSchema, request.Params?.Arguments) is { } problem)
            {
                // A tool execution error (isError), not a protocol error: MCP asks servers to report invalid
                // arguments this way so the model can correct itself.
                return ValueTask.FromResult(new CallToolResult
                {
                    IsError = true,
                    Content = [new TextContentBlock { Text = $"Invalid arguments for tool '{tool.ProtocolTool.Name}': {problem}." }],
                });
            }

            return next(request, cancellationToken);
        };
}
