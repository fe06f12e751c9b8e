using System.Globalization;
using System.Text.Json;

namespace SeedMcp.AppHost.Monitoring;

/// <summary>
/// The <c>prometheus.yml</c> the AppHost writes for Prometheus, and the file of scrape targets beside it. Targets come
/// from a file (file-based service discovery, reread as soon as it changes) because the server's addresses are known
/// only once it runs, change when it restarts, and are one per replica.
/// </summary>
public static class PrometheusScrapeConfig
{
    /// <summary>The <c>job</c> label of the server's series; the dashboard and the alert rules select on it.</summary>
    public const string ServerJob = "seed-mcp";

    public const string ConfigFileName = "prometheus.yml";
    public const string TargetsFileName = "seed-mcp-targets.json";

    /// <summary>Short, for a development loop: a tool call shows on the dashboard within seconds.</summary>
    public static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(5);

    /// <param name="ruleFiles">Path or glob of the alert rule files, as Prometheus sees them.</param>
    /// <param name="targetsFile">Path of the targets file (<see cref="RenderTargets"/>), as Prometheus sees it.</param>
    public static string Render(string ruleFiles, string targetsFile)
    {
        var interval = string.Create(CultureInfo.InvariantCulture, $"{(int)ScrapeInterval.TotalSeconds}s");
        return $"""
            # Written by the SeedMcp AppHost (SeedMcp.AppHost/Monitoring/PrometheusScrapeConfig.cs).
            global:
              scrape_interval: {interval}
              evaluation_interval: {interval}
            rule_files:
              - "{ruleFiles}"
            scrape_configs:
              - job_name: {ServerJob}
                metrics_path: /metrics
                file_sd_configs:
                  - files: ["{targetsFile}"]

            """;
    }

    /// <summary>The targets file: each <c>host:port</c> becomes one scrape target, hence one <c>instance</c> label.</summary>
    public static string RenderTargets(IEnumerable<string> targets) =>
        JsonSerializer.Serialize(new[] { new { targets = targets.Order(StringComparer.Ordinal).ToArray() } });
}
