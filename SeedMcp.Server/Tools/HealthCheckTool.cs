using System.ComponentModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ModelContextProtocol.Server;

namespace SeedMcp.Server.Tools;

[McpServerToolType]
public sealed class HealthCheckTool(HealthCheckService healthChecks)
{
    [McpServerTool(Name = "healthcheck", ReadOnly = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Runs the server's health checks (the same ones behind /health) and reports the overall status and each check's result.")]
    public async Task<HealthCheckReport> CheckAsync(CancellationToken cancellationToken)
    {
        var report = await healthChecks.CheckHealthAsync(cancellationToken);
        return new HealthCheckReport(
            report.Status.ToString(),
            Math.Round(report.TotalDuration.TotalMilliseconds, 2),
            [.. report.Entries.Select(entry => new HealthCheckEntry(
                entry.Key,
                entry.Value.Status.ToString(),
                entry.Value.Description ?? entry.Value.Exception?.Message,
                Math.Round(entry.Value.Duration.TotalMilliseconds, 2)))]);
    }
}

public sealed record HealthCheckReport(string Status, double TotalDurationMs, IReadOnlyList<HealthCheckEntry> Checks);

public sealed record HealthCheckEntry(string Name, string Status, string? Description, double DurationMs);
