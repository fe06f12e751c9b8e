using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using SeedMcp.AppHost.Infrastructure;
using SeedMcp.AppHost.Monitoring;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Operations;

/// <summary>
/// No container engine runs here, so the Prometheus and Grafana containers are checked as the model the AppHost
/// builds: pinned images, bind mounts of files that exist, and the wiring to the server and to Jaeger.
/// </summary>
public sealed class ContainerMonitoringModelTests
{
    [Fact]
    public async Task Containers_mode_adds_pinned_prometheus_and_grafana_wired_to_the_server_and_jaeger()
    {
        // Only the model is built, never run: no DCP, no dashboard.
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = [],
            ProjectDirectory = RepositoryFiles.InAppHost(string.Empty),
            DisableDashboard = true,
        });
        var plan = new InfrastructurePlan(InfrastructureMode.Containers, "containers", null, Path.GetTempPath()) { Monitoring = MonitoringMode.Containers };
        var server = builder.AddProject("server", Path.Combine(RepositoryFiles.Root, "SeedMcp.Server", "SeedMcp.Server.csproj"), launchProfileName: "http");
        var jaeger = builder.AddContainer("jaeger", "jaegertracing/jaeger", "2.15.0").WithHttpEndpoint(targetPort: 16686, name: "http");

        var prometheus = Assert.IsType<ContainerResource>(builder.AddPrometheus(plan, server)?.Resource);
        server.WithMetricsScrapedBy(builder.CreateResourceBuilder(prometheus));
        var grafana = Assert.IsType<ContainerResource>(builder.AddGrafana(plan, builder.CreateResourceBuilder(prometheus), jaeger)?.Resource);

        AssertImage(prometheus, "docker.io", "prom/prometheus", PrometheusContainerImage.Tag);
        AssertImage(grafana, "docker.io", "grafana/grafana", GrafanaContainerImage.Tag);
        AssertMountsExistingDirectory(prometheus, PrometheusContainerImage.RulesDirectory);
        AssertMountsExistingDirectory(grafana, GrafanaContainerImage.ProvisioningDirectory);
        AssertMountsExistingDirectory(grafana, GrafanaContainerImage.DashboardsDirectory);

        Assert.Equal(PrometheusContainerImage.ConfigDirectory, Assert.Single(prometheus.Annotations.OfType<ContainerFileSystemCallbackAnnotation>()).DestinationPath);
        var arguments = await ArgumentsAsync(prometheus);
        Assert.Contains("--config.file=/etc/prometheus/prometheus.yml", arguments);
        Assert.Contains("--enable-feature=exemplar-storage", arguments);

        var grafanaEnvironment = await EnvironmentAsync(grafana);
        AssertEndpoint(grafanaEnvironment["PROMETHEUS_URL"], prometheus, PrometheusContainerImage.HttpEndpointName);
        AssertEndpoint(grafanaEnvironment["JAEGER_URL"], jaeger.Resource, "http");

        var serverEnvironment = await EnvironmentAsync(server.Resource);
        Assert.Equal("true", serverEnvironment["Telemetry__Prometheus__Enabled"]);
        Assert.Equal("trace_based", serverEnvironment["OTEL_METRICS_EXEMPLAR_FILTER"]);

        // Development tools: never part of a deployment.
        Assert.All(new IResource[] { prometheus, grafana }, resource =>
            Assert.Same(ManifestPublishingCallbackAnnotation.Ignore, resource.Annotations.OfType<ManifestPublishingCallbackAnnotation>().Single()));
    }

    /// <summary>The environment as the resource's callbacks write it, values unresolved (endpoint references stay references).</summary>
    private static async Task<Dictionary<string, object>> EnvironmentAsync(IResource resource)
    {
        var environment = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), resource, environment);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context).WaitAsync(TimeSpan.FromSeconds(10));
        }

        return environment;
    }

    private static async Task<IReadOnlyList<object>> ArgumentsAsync(ContainerResource resource)
    {
        var arguments = new List<object>();
        var context = new CommandLineArgsCallbackContext(arguments, resource);
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context).WaitAsync(TimeSpan.FromSeconds(10));
        }

        return arguments;
    }

    private static void AssertEndpoint(object value, IResource resource, string endpointName)
    {
        var endpoint = Assert.IsType<EndpointReference>(value);
        Assert.Same(resource, endpoint.Resource);
        Assert.Equal(endpointName, endpoint.EndpointName);
    }

    private static void AssertImage(ContainerResource resource, string registry, string image, string tag)
    {
        var annotation = resource.Annotations.OfType<ContainerImageAnnotation>().Single();
        Assert.Equal((registry, image, tag), (annotation.Registry, annotation.Image, annotation.Tag));
        Assert.DoesNotContain("latest", tag, StringComparison.Ordinal);
    }

    private static void AssertMountsExistingDirectory(ContainerResource resource, string target)
    {
        var mount = Assert.Single(resource.Annotations.OfType<ContainerMountAnnotation>(), mount => mount.Target == target);
        Assert.True(mount.IsReadOnly);
        Assert.True(Directory.Exists(mount.Source) && Directory.EnumerateFiles(mount.Source, "*", SearchOption.AllDirectories).Any(),
            $"{resource.Name} mounts {mount.Source} at {target}, which is missing or empty.");
    }
}
