namespace SeedMcp.AppHost.Monitoring;

public static class MonitoringResourceNames
{
    public const string Prometheus = "prometheus";
    public const string Grafana = "grafana";
}

/// <summary>Prometheus 3.5 is a long-term-support release.</summary>
public static class PrometheusContainerImage
{
    public const string Registry = "docker.io";
    public const string Image = "prom/prometheus";
    public const string Tag = "v3.5.0";
    public const string HttpEndpointName = "http";
    public const int Port = 9090;
    public const string ConfigDirectory = "/etc/prometheus";
    public const string RulesDirectory = "/etc/prometheus/rules";
}

public static class GrafanaContainerImage
{
    public const string Registry = "docker.io";
    public const string Image = "grafana/grafana";
    public const string Tag = "12.1.1";
    public const string HttpEndpointName = "http";
    public const int Port = 3000;
    public const string ProvisioningDirectory = "/etc/grafana/provisioning";

    /// <summary>Where the dashboards provider (provisioning/dashboards/seedmcp.yml) looks for dashboard JSON.</summary>
    public const string DashboardsDirectory = "/var/lib/grafana/dashboards";

    public const string HomeDashboard = DashboardsDirectory + "/seedmcp.json";
}

/// <summary>
/// The operations artefacts under <c>SeedMcp.AppHost/observability/</c>, relative to the AppHost directory: validated by
/// promtool in CI and by tests against what <c>/metrics</c> really exposes.
/// </summary>
public static class ObservabilityFiles
{
    public const string RulesDirectory = "observability/prometheus/rules";
    public const string RuleTestsDirectory = "observability/prometheus/tests";
    public const string GrafanaProvisioningDirectory = "observability/grafana/provisioning";
    public const string GrafanaDashboardsDirectory = "observability/grafana/dashboards";
}
