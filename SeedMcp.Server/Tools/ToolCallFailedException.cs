using ModelContextProtocol.Protocol;

namespace SeedMcp.Server.Tools;

/// <summary>
/// A tool call that a step of the tool pipeline ended (the deadline, <see cref="ToolTimeoutFilter"/>): carries the
/// <c>isError</c> result the caller gets and the <c>error.type</c> that names the failure. Thrown to the pipeline's
/// outermost step, <see cref="ToolTelemetryFilter"/>, which records the failure and answers with <see cref="Result"/>.
/// </summary>
public sealed class ToolCallFailedException(string errorType, string message) : Exception(message)
{
    /// <summary>What <c>error.type</c> says of the call, e.g. <c>timeout</c>.</summary>
    public string ErrorType { get; } = errorType;

    /// <summary>The answer the caller gets: a tool execution error, so the model can read why.</summary>
    public CallToolResult Result { get; } = new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };
}
