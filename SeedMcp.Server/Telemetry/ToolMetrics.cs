using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SeedMcp.Server.Telemetry;

/// <summary>Tool calls by tool and outcome, counted whether or not tracing is on.</summary>
public sealed class ToolMetrics
{
    private readonly Counter<long> _calls;

    public ToolMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(SeedMcpTelemetry.Meters.Tools);
        _calls = meter.CreateCounter<long>(SeedMcpTelemetry.Meters.ToolCalls, "{call}", "Tool executions by tool and outcome (ok, error).");
    }

    public void Called(string tool, bool failed) => _calls.Add(1, new TagList
    {
        { SeedMcpTelemetry.Attributes.Tool, tool },
        { SeedMcpTelemetry.Attributes.Outcome, failed ? SeedMcpTelemetry.Values.OutcomeError : SeedMcpTelemetry.Values.OutcomeOk },
    });
}
