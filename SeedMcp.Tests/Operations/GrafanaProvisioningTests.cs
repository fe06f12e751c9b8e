using System.Text.Json;
using SeedMcp.AppHost.Monitoring;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Operations;

/// <summary>
/// The Grafana container cannot run here, so what it would load is checked as files: the provisioning, the dashboard
/// and the AppHost's bind mounts must agree on paths and datasource uids, or Grafana starts with empty panels.
/// </summary>
public sealed class GrafanaProvisioningTests
{
    private static readonly string Provisioning = RepositoryFiles.InAppHost(ObservabilityFiles.GrafanaProvisioningDirectory);

    [Fact]
    public void The_datasources_are_prometheus_and_jaeger_with_exemplars_linking_to_jaeger()
    {
        var datasources = YamlFile.Load(Path.Combine(Provisioning, "datasources", "seedmcp.yml"))["datasources"].Sequence().ToList();

        var prometheus = Assert.Single(datasources, source => source.Scalar("uid") == "prometheus");
        Assert.Equal("prometheus", prometheus.Scalar("type"));
        Assert.Equal("${PROMETHEUS_URL}", prometheus.Scalar("url"));
        var destination = Assert.Single(prometheus.Mapping("jsonData")["exemplarTraceIdDestinations"].Sequence());
        Assert.Equal("trace_id", destination.Scalar("name"));
        Assert.Equal("jaeger", destination.Scalar("datasourceUid"));

        var jaeger = Assert.Single(datasources, source => source.Scalar("uid") == "jaeger");
        Assert.Equal("jaeger", jaeger.Scalar("type"));
        Assert.Equal("${JAEGER_URL}", jaeger.Scalar("url"));
    }

    [Fact]
    public void The_dashboard_provider_reads_where_the_apphost_mounts_the_dashboard()
    {
        var provider = Assert.Single(YamlFile.Load(Path.Combine(Provisioning, "dashboards", "seedmcp.yml"))["providers"].Sequence());

        Assert.Equal(GrafanaContainerImage.DashboardsDirectory, provider.Mapping("options").Scalar("path"));
        Assert.True(File.Exists(ObservabilityArtefacts.DashboardFile));
        Assert.Equal(Path.GetFileName(GrafanaContainerImage.HomeDashboard), Path.GetFileName(ObservabilityArtefacts.DashboardFile));
    }

    [Fact]
    public void The_dashboard_queries_the_provisioned_prometheus_and_links_traces_to_jaeger()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(ObservabilityArtefacts.DashboardFile));
        var root = dashboard.RootElement;

        var datasourceVariable = root.GetProperty("templating").GetProperty("list").EnumerateArray()
            .Single(variable => variable.GetProperty("type").GetString() == "datasource");
        Assert.Equal("prometheus", datasourceVariable.GetProperty("current").GetProperty("value").GetString());

        var traceLinks = root.GetProperty("panels").EnumerateArray()
            .Where(panel => panel.TryGetProperty("fieldConfig", out var config) && config.GetProperty("defaults").TryGetProperty("links", out _))
            .SelectMany(panel => panel.GetProperty("fieldConfig").GetProperty("defaults").GetProperty("links").EnumerateArray())
            .Select(link => Uri.UnescapeDataString(link.GetProperty("url").GetString()!))
            .ToList();
        Assert.NotEmpty(traceLinks);
        Assert.All(traceLinks, url => Assert.Contains("\"uid\":\"jaeger\"", url, StringComparison.Ordinal));

        var exemplarPanels = root.GetProperty("panels").EnumerateArray()
            .Where(panel => panel.TryGetProperty("targets", out var targets) && targets.EnumerateArray().Any(target => target.GetProperty("exemplar").GetBoolean()));
        Assert.NotEmpty(exemplarPanels);
    }
}
