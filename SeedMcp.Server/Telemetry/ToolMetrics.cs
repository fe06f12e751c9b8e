using System.Diagnostics.Metrics;
using ModelContextProtocol.Server;
using SeedMcp.ServiceDefaults;

namespace SeedMcp.Server.Telemetry;

/// <summary>Tool calls by tool and outcome, counted whether or not tracing is on.</summary>
public sealed class ToolMetrics
{
    /// <summary>Tools are registered in code, so a handful of series; the bound only guards against a mistake.</summary>
    private const int MaxSeries = 1000;

    private readonly HotPathCounter _calls;

    public ToolMetrics(IMeterFactory meterFactory, IEnumerable<McpServerTool> tools)
    {
        var meter = meterFactory.Create(SeedMcpTelemetry.Meters.Tools);
        _calls = new HotPathCounter(meter, SeedMcpTelemetry.Meters.ToolCalls, "{call}", "Tool executions by tool and outcome (ok, error).",
            SeedMcpTelemetry.Attributes.Tool, SeedMcpTelemetry.Attributes.Outcome, MaxSeries);
        // Every tool and outcome exists from startup with the value 0 (created when the meter provider is built).
        foreach (var tool in tools)
        {
            _calls.StartAtZero(tool.ProtocolTool.Name, SeedMcpTelemetry.Values.OutcomeOk);
            _calls.StartAtZero(tool.ProtocolTool.Name, SeedMcpTelemetry.Values.OutcomeError);
        }
    }

    public void Called(string tool, bool failed) =>
        _calls.Increment(tool, failed ? SeedMcpTelemetry.Values.OutcomeError : SeedMcpTelemetry.Values.OutcomeOk);
}
