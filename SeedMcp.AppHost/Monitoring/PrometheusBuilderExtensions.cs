using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SeedMcp.AppHost.Infrastructure;

namespace SeedMcp.AppHost.Monitoring;

/// <summary>Prometheus scraping the server's <c>/metrics</c> and evaluating the alert rules, as the plan says.</summary>
public static class PrometheusBuilderExtensions
{
    /// <summary>
    /// Prometheus as a container or a local process, or none. Development only: a published manifest leaves it out,
    /// because production brings its own Prometheus or Grafana Cloud.
    /// </summary>
    public static IResourceBuilder<IResourceWithEndpoints>? AddPrometheus(
        this IDistributedApplicationBuilder builder, InfrastructurePlan plan, IResourceBuilder<ProjectResource> server) =>
        plan.Monitoring switch
        {
            MonitoringMode.Containers => builder.AddPrometheusContainer(server),
            MonitoringMode.LocalPrometheus => builder.AddLocalPrometheus(plan.PrometheusPath!, server),
            _ => null,
        };

    /// <summary>
    /// Serves <c>/metrics</c> (whatever the environment) for the Prometheus that scrapes it, with exemplars: the trace ids
    /// of sampled requests, which Grafana links to their traces in Jaeger.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithMetricsScrapedBy(
        this IResourceBuilder<ProjectResource> server, IResourceBuilder<IResourceWithEndpoints>? prometheus) =>
        prometheus is null
            ? server
            : server
                .WithEnvironment("Telemetry__Prometheus__Enabled", "true")
                .WithEnvironment("OTEL_METRICS_EXEMPLAR_FILTER", "trace_based");

    private static IResourceBuilder<ContainerResource> AddPrometheusContainer(
        this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> server)
    {
        var prometheus = builder.AddContainer(MonitoringResourceNames.Prometheus, PrometheusContainerImage.Image, PrometheusContainerImage.Tag)
            .WithImageRegistry(PrometheusContainerImage.Registry)
            .WithBindMount(ObservabilityFiles.RulesDirectory, PrometheusContainerImage.RulesDirectory, isReadOnly: true)
            .WithArgs(
                $"--config.file={PrometheusContainerImage.ConfigDirectory}/{PrometheusScrapeConfig.ConfigFileName}",
                "--storage.tsdb.path=/prometheus",
                "--enable-feature=exemplar-storage")
            .WithHttpEndpoint(targetPort: PrometheusContainerImage.Port, name: PrometheusContainerImage.HttpEndpointName)
            .WithHttpHealthCheck("/-/ready", endpointName: PrometheusContainerImage.HttpEndpointName)
            .ExcludeFromManifest();

        return prometheus.WithContainerFiles(PrometheusContainerImage.ConfigDirectory, async (_, cancellationToken) =>
        {
            // The server as the container reaches it: Aspire's container-to-host address, which goes through its proxy
            // (the replicas listen on the host's loopback only), so with several replicas their series interleave.
            var target = await server.GetEndpoint("http").Property(EndpointProperty.HostAndPort)
                .GetValueAsync(new ValueProviderContext { Caller = prometheus.Resource }, cancellationToken)
                ?? throw new DistributedApplicationException("The server's endpoint has no address for the Prometheus container.");
            return
            [
                new ContainerFile
                {
                    Name = PrometheusScrapeConfig.ConfigFileName,
                    Contents = PrometheusScrapeConfig.Render(
                        $"{PrometheusContainerImage.RulesDirectory}/*.yml", $"{PrometheusContainerImage.ConfigDirectory}/{PrometheusScrapeConfig.TargetsFileName}"),
                },
                new ContainerFile { Name = PrometheusScrapeConfig.TargetsFileName, Contents = PrometheusScrapeConfig.RenderTargets([target]) },
            ];
        });
    }

    /// <summary>
    /// The local <c>prometheus</c> on a port Aspire allocates (never a fixed one: parallel runs would collide), loading
    /// the alert rules from the source tree, scraping every server replica at its own address, and keeping its data in
    /// a temp directory of its own.
    /// </summary>
    private static IResourceBuilder<LocalPrometheusResource> AddLocalPrometheus(
        this IDistributedApplicationBuilder builder, string prometheusPath, IResourceBuilder<ProjectResource> server)
    {
        var prometheus = new LocalPrometheusResource(
            MonitoringResourceNames.Prometheus, prometheusPath, Path.Combine(Path.GetTempPath(), $"seedmcp-prometheus-{Guid.NewGuid():N}"));
        var rules = Path.Combine(builder.AppHostDirectory, ObservabilityFiles.RulesDirectory, "*.yml");

        builder.Services.AddHostedService(services => new ServerScrapeTargets(
            server.Resource, prometheus.TargetsFile,
            services.GetRequiredService<ResourceNotificationService>(), services.GetRequiredService<ILogger<ServerScrapeTargets>>()));
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(prometheus, async (_, cancellationToken) =>
        {
            Directory.CreateDirectory(prometheus.WorkingDirectory);
            await File.WriteAllTextAsync(prometheus.ConfigFile, PrometheusScrapeConfig.Render(rules, prometheus.TargetsFile), cancellationToken);
        });

        return builder.AddResource(prometheus)
            .WithHttpEndpoint(name: LocalPrometheusResource.HttpEndpointName)
            .WithArgs(context =>
            {
                context.Args.Add($"--config.file={prometheus.ConfigFile}");
                context.Args.Add($"--storage.tsdb.path={prometheus.DataDirectory}");
                context.Args.Add("--storage.tsdb.retention.time=1d");
                context.Args.Add(ReferenceExpression.Create(
                    $"--web.listen-address=127.0.0.1:{prometheus.HttpEndpoint.Property(EndpointProperty.TargetPort)}"));
                context.Args.Add("--enable-feature=exemplar-storage");
            })
            .WithHttpHealthCheck("/-/ready", endpointName: LocalPrometheusResource.HttpEndpointName)
            .ExcludeFromManifest();
    }
}
