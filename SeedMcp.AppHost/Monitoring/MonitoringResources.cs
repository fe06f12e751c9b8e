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

    /// <summary>The data directory, writable by the image's user: where the entrypoint writes the scrape targets.</summary>
    public const string DataDirectory = "/prometheus";

    /// <summary>The image runs as <c>nobody</c> (65534:65534); the files copied in belong to it.</summary>
    public const int User = 65534;
    public const int Group = 65534;

    /// <summary>The server's <c>host:port</c> as the container reaches it, set by the AppHost.</summary>
    public const string ScrapeTargetVariable = "SEEDMCP_SCRAPE_TARGET";
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

    /// <summary>The image runs as <c>grafana</c>, uid 472 in group root (0); the files copied in belong to it.</summary>
    public const int User = 472;
    public const int Group = 0;
}

/// <summary>
/// The operations artefacts under <c>SeedMcp.AppHost/observability/</c>, relative to the AppHost directory: validated by
/// promtool in CI and by tests against what <c>/metrics</c> really exposes. The build copies them beside the AppHost's
/// assembly, so a published AppHost carries them.
/// </summary>
public static class ObservabilityFiles
{
    /// <summary>
    /// The artefact's full path: beside the running AppHost assembly (a published AppHost, or <c>dotnet run</c>), else in
    /// the AppHost's project directory (a host that loads the AppHost from elsewhere, such as a test run).
    /// </summary>
    public static string Resolve(IDistributedApplicationBuilder builder, string relativePath)
    {
        var published = Path.Combine(AppContext.BaseDirectory, relativePath);
        return Path.Exists(published) ? published : Path.Combine(builder.AppHostDirectory, relativePath);
    }

    public const string RulesDirectory = "observability/prometheus/rules";
    public const string RuleTestsDirectory = "observability/prometheus/tests";
    public const string GrafanaProvisioningDirectory = "observability/grafana/provisioning";
    public const string GrafanaDashboardsDirectory = "observability/grafana/dashboards";
}
