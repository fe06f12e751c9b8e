namespace SeedMcp.AppHost.Infrastructure;

/// <summary>How the AppHost runs Prometheus (and Grafana) beside the server; decided by <see cref="InfrastructurePlan"/>.</summary>
public enum MonitoringMode
{
    /// <summary>No Prometheus: none is installed, or a manifest is being published (production brings its own).</summary>
    None,

    /// <summary>Prometheus and Grafana containers, with the alert rules, datasources and dashboard provisioned.</summary>
    Containers,

    /// <summary>The local <c>prometheus</c> executable (Debian's package) with the alert rules; no Grafana.</summary>
    LocalPrometheus,
}
