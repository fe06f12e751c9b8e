using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace SeedMcp.Server.Tools;

public static class ToolsExtensions
{
    /// <summary>The four tools, with a deadline and argument validation in front of them.</summary>
    public static IMcpServerBuilder WithSeedMcpTools(this IMcpServerBuilder mcp)
    {
        mcp.Services.AddOptions<ToolOptions>()
            .BindConfiguration(ToolOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        mcp.Services.AddSingleton<ToolTimeoutFilter>();

        return mcp
            .WithTools<EchoTool>()
            .WithTools<HealthCheckTool>()
            .WithTools<SystemStatusTool>()
            .WithTools<UserInfoTool>()
            .WithMessageFilters(filters => filters.AddIncomingFilter(ToolCallShapeFilter.Create))
            .WithRequestFilters(filters => filters
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
