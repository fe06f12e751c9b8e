using System.Diagnostics.Metrics;

namespace SeedMcp.Server.Telemetry;

/// <summary>Tool calls by tool and outcome, counted whether or not tracing is on.</summary>
public sealed class ToolMetrics
{
    /// <summary>Tools are registered in code, so a handful of series; the bound only guards against a mistake.</summary>
    private const int MaxSeries = 1000;

    private readonly HotPathCounter _calls;

    public ToolMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(SeedMcpTelemetry.Meters.Tools);
        _calls = new HotPathCounter(meter, SeedMcpTelemetry.Meters.ToolCalls, "{call}", "Tool executions by tool and outcome (ok, error).",
            SeedMcpTelemetry.Attributes.Tool, SeedMcpTelemetry.Attributes.Outcome, MaxSeries);
    }

    public void Called(string tool, bool failed) =>
        _calls.Increment(tool, failed ? SeedMcpTelemetry.Values.OutcomeError : SeedMcpTelemetry.Values.OutcomeOk);
}
