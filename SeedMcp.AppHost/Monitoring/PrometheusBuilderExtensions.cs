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
            MonitoringMode.Containers => builder.AddPrometheusContainer(plan, server),
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

    /// <summary>
    /// Writes the scrape target from the environment into the targets file, then becomes Prometheus. The image's
    /// busybox shell runs it (the public image is busybox-based; the tests' stand-in carries busybox as /bin/sh).
    /// </summary>
    private const string ContainerEntrypointScript =
        $$"""
        printf '[{"targets":["%s"]}]\n' "${{{PrometheusContainerImage.ScrapeTargetVariable}}}" > {{PrometheusContainerImage.DataDirectory}}/{{PrometheusScrapeConfig.TargetsFileName}} && exec /bin/prometheus "$@"
        """;

    /// <summary>
    /// The server's address reaches the container as an environment value, where Aspire sees the dependency and sets up
    /// the container-to-host route for the server's endpoint before Prometheus starts. (Resolved inside a
    /// WithContainerFiles callback instead, the dependency is invisible, the route never comes, and Prometheus hangs in
    /// Starting.) The address goes through Aspire's proxy (the replicas listen on the host's loopback only), so with
    /// several replicas their series interleave. Configuration and rules are copied in, owned by the image's user:
    /// no bind mount, so nothing to relabel under SELinux and nothing the checkout's umask can hide.
    /// </summary>
    private static IResourceBuilder<ContainerResource> AddPrometheusContainer(
        this IDistributedApplicationBuilder builder, InfrastructurePlan plan, IResourceBuilder<ProjectResource> server)
    {
        var targetsFile = $"{PrometheusContainerImage.DataDirectory}/{PrometheusScrapeConfig.TargetsFileName}";
        var configuration = new ContainerFile
        {
            Name = PrometheusScrapeConfig.ConfigFileName,
            Contents = PrometheusScrapeConfig.Render($"{PrometheusContainerImage.RulesDirectory}/*.yml", targetsFile),
        };

        return builder.AddContainer(MonitoringResourceNames.Prometheus, PrometheusContainerImage.Image, PrometheusContainerImage.Tag)
            .WithImageRegistry(PrometheusContainerImage.Registry)
            .WithRegistryOf(plan)
            .WithEnvironment(PrometheusContainerImage.ScrapeTargetVariable, server.GetEndpoint("http").Property(EndpointProperty.HostAndPort))
            .WithContainerFiles(PrometheusContainerImage.ConfigDirectory, [configuration],
                defaultOwner: PrometheusContainerImage.User, defaultGroup: PrometheusContainerImage.Group)
            .WithContainerFiles(PrometheusContainerImage.RulesDirectory, ObservabilityFiles.Resolve(builder, ObservabilityFiles.RulesDirectory),
                defaultOwner: PrometheusContainerImage.User, defaultGroup: PrometheusContainerImage.Group)
            .WithEntrypoint("/bin/sh")
            .WithArgs(
                "-c", ContainerEntrypointScript, "prometheus",
                $"--config.file={PrometheusContainerImage.ConfigDirectory}/{PrometheusScrapeConfig.ConfigFileName}",
                $"--storage.tsdb.path={PrometheusContainerImage.DataDirectory}",
                "--enable-feature=exemplar-storage")
            .WithHttpEndpoint(targetPort: PrometheusContainerImage.Port, name: PrometheusContainerImage.HttpEndpointName)
            .WithHttpHealthCheck("/-/ready", endpointName: PrometheusContainerImage.HttpEndpointName)
            .ExcludeFromManifest();
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
        var rules = Path.Combine(ObservabilityFiles.Resolve(builder, ObservabilityFiles.RulesDirectory), "*.yml");

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
