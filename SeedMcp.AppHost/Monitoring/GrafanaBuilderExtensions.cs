using SeedMcp.AppHost.Infrastructure;

namespace SeedMcp.AppHost.Monitoring;

public static class GrafanaBuilderExtensions
{
    /// <summary>
    /// Grafana with the Prometheus and Jaeger datasources and the SeedMcp dashboard provisioned; containers only. Anonymous
    /// admin access, as befits a development tool that never leaves the machine.
    /// </summary>
    public static IResourceBuilder<ContainerResource>? AddGrafana(
        this IDistributedApplicationBuilder builder, InfrastructurePlan plan,
        IResourceBuilder<IResourceWithEndpoints>? prometheus, IResourceBuilder<ContainerResource>? jaeger) =>
        plan.Monitoring is not MonitoringMode.Containers || prometheus is null || jaeger is null
            ? null
            : builder.AddContainer(MonitoringResourceNames.Grafana, GrafanaContainerImage.Image, GrafanaContainerImage.Tag)
                .WithImageRegistry(GrafanaContainerImage.Registry)
                .WithRegistryOf(plan)
                // Copied in, owned by the image's user: no bind mount, so nothing to relabel under SELinux and nothing
                // the checkout's umask can hide; the files come from beside the AppHost, so a published one has them.
                .WithContainerFiles(GrafanaContainerImage.ProvisioningDirectory,
                    ObservabilityFiles.Resolve(builder, ObservabilityFiles.GrafanaProvisioningDirectory),
                    defaultOwner: GrafanaContainerImage.User, defaultGroup: GrafanaContainerImage.Group)
                .WithContainerFiles(GrafanaContainerImage.DashboardsDirectory,
                    ObservabilityFiles.Resolve(builder, ObservabilityFiles.GrafanaDashboardsDirectory),
                    defaultOwner: GrafanaContainerImage.User, defaultGroup: GrafanaContainerImage.Group)
                // Read by the datasource provisioning file: container-to-container addresses that Aspire resolves.
                .WithEnvironment("PROMETHEUS_URL", prometheus.GetEndpoint(PrometheusContainerImage.HttpEndpointName))
                .WithEnvironment("JAEGER_URL", jaeger.GetEndpoint(JaegerContainerImage.UiEndpointName))
                .WithEnvironment("GF_AUTH_ANONYMOUS_ENABLED", "true")
                .WithEnvironment("GF_AUTH_ANONYMOUS_ORG_ROLE", "Admin")
                .WithEnvironment("GF_AUTH_DISABLE_LOGIN_FORM", "true")
                .WithEnvironment("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH", GrafanaContainerImage.HomeDashboard)
                .WithHttpEndpoint(targetPort: GrafanaContainerImage.Port, name: GrafanaContainerImage.HttpEndpointName)
                .WithHttpHealthCheck("/api/health", endpointName: GrafanaContainerImage.HttpEndpointName)
                .ExcludeFromManifest();
}
