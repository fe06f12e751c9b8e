using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using SeedMcp.AppHost.Infrastructure;
using SeedMcp.AppHost.Monitoring;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Operations;

/// <summary>
/// The Prometheus and Grafana containers as the model the AppHost builds, without a container engine: pinned images,
/// files copied in from directories that exist and owned by the images' users, and the wiring to the server and to
/// Jaeger declared where Aspire sees it. (SeedMcp.Tests/Containers runs them for real where Docker runs.)
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
        // No bind mounts (nothing to relabel under SELinux, nothing a strict umask hides): files are copied in.
        Assert.Empty(prometheus.Annotations.OfType<ContainerMountAnnotation>());
        Assert.Empty(grafana.Annotations.OfType<ContainerMountAnnotation>());
        await AssertCopiesFilesOwnedByAsync(prometheus, PrometheusContainerImage.ConfigDirectory, PrometheusContainerImage.User, "prometheus.yml");
        await AssertCopiesFilesOwnedByAsync(prometheus, PrometheusContainerImage.RulesDirectory, PrometheusContainerImage.User, "seedmcp-alerts.yml");
        await AssertCopiesFilesOwnedByAsync(grafana, GrafanaContainerImage.ProvisioningDirectory, GrafanaContainerImage.User, "seedmcp.yml");
        await AssertCopiesFilesOwnedByAsync(grafana, GrafanaContainerImage.DashboardsDirectory, GrafanaContainerImage.User, "seedmcp.json");

        var arguments = await ArgumentsAsync(prometheus);
        Assert.Contains("--config.file=/etc/prometheus/prometheus.yml", arguments);
        Assert.Contains("--enable-feature=exemplar-storage", arguments);

        // The scrape target is an environment value referring to the server's endpoint: Aspire sees the dependency
        // (and routes the container to the host's server); a value resolved inside a files callback it would not see.
        var prometheusEnvironment = await EnvironmentAsync(prometheus);
        var target = Assert.IsType<EndpointReferenceExpression>(prometheusEnvironment[PrometheusContainerImage.ScrapeTargetVariable]);
        Assert.Same(server.Resource, target.Endpoint.Resource);
        Assert.Equal(EndpointProperty.HostAndPort, target.Property);
        var executionContext = new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run);
        var dependencies = await prometheus.GetResourceDependenciesAsync(executionContext, ResourceDependencyDiscoveryMode.DirectOnly)
            .WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(server.Resource, dependencies);
        var grafanaDependencies = await grafana.GetResourceDependenciesAsync(executionContext, ResourceDependencyDiscoveryMode.DirectOnly)
            .WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(prometheus, grafanaDependencies);
        Assert.Contains(jaeger.Resource, grafanaDependencies);

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

    /// <summary>The files Aspire will copy to <paramref name="destination"/>, as its callback lists them, include <paramref name="file"/>.</summary>
    private static async Task AssertCopiesFilesOwnedByAsync(ContainerResource resource, string destination, int owner, string file)
    {
        var annotation = Assert.Single(resource.Annotations.OfType<ContainerFileSystemCallbackAnnotation>(), candidate => candidate.DestinationPath == destination);
        Assert.Equal(owner, annotation.DefaultOwner);
        var items = await annotation.Callback(new ContainerFileSystemCallbackContext { Model = resource, Services = EmptyServices.Instance }, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10));
        var names = Flatten(items).Select(item => item.Name).ToList();
        Assert.True(names.Contains(file), $"{resource.Name} copies [{string.Join(", ", names)}] to {destination}, not {file}.");
    }

    private static IEnumerable<ContainerFileSystemItem> Flatten(IEnumerable<ContainerFileSystemItem> items) =>
        items.SelectMany(item => item is ContainerDirectory directory ? [item, .. Flatten(directory.Entries)] : new[] { item });

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
