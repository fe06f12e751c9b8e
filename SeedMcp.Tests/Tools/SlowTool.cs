using System.ComponentModel;
using ModelContextProtocol.Server;

namespace SeedMcp.Tests.Tools;

/// <summary>Test tools that take their time: one honours cancellation, one ignores it.</summary>
[McpServerToolType]
public sealed class SlowTool(SlowToolProbe probe)
{
    [McpServerTool(Name = "wait"), Description("Waits until cancelled.")]
    public async Task<string> WaitAsync([Description("Milliseconds to wait.")] int milliseconds, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(milliseconds, cancellationToken);
            return "done";
        }
        catch (OperationCanceledException)
        {
            probe.Cancelled.TrySetResult();
            throw;
        }
    }

    [McpServerTool(Name = "stubborn"), Description("Sleeps, deaf to cancellation.")]
    public static async Task<string> StubbornAsync([Description("Milliseconds to sleep.")] int milliseconds)
    {
        await Task.Delay(milliseconds, CancellationToken.None);
        return "done";
    }
}

/// <summary>Lets a test see that a tool really observed its cancellation.</summary>
public sealed class SlowToolProbe
{
    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
