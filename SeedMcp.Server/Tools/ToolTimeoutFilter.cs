using System.Globalization;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SeedMcp.Server.Telemetry;

namespace SeedMcp.Server.Tools;

/// <summary>
/// Gives every tool call a deadline. At the deadline the tool's cancellation token fires and the caller gets an error
/// result at once, even from a tool that ignores its token (that one is left to finish on its own). Cancellation by the
/// client (<c>notifications/cancelled</c>) reaches the tool through the same token. The deadline's failure is a
/// <see cref="ToolCallFailedException"/> (<c>error.type</c> <c>timeout</c>), answered by the pipeline's outer step.
/// </summary>
public sealed class ToolTimeoutFilter(IOptions<ToolOptions> options)
{
    private readonly TimeSpan _timeout = options.Value.CallTimeout;

    public async ValueTask<CallToolResult> InvokeAsync(
        RequestContext<CallToolRequestParams> request,
        McpRequestHandler<CallToolRequestParams, CallToolResult> next,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            return await next(request, deadline.Token).AsTask().WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ToolCallFailedException(SeedMcpTelemetry.Values.Timeout, string.Create(CultureInfo.InvariantCulture,
                $"Tool '{request.Params?.Name}' did not finish within {_timeout.TotalSeconds:0.###} s and was cancelled."));
        }
    }
}
