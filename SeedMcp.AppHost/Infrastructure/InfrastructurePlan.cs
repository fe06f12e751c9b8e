namespace SeedMcp.AppHost.Infrastructure;

/// <summary>
/// The one place that decides how infrastructure runs. Everything else in the AppHost reads the plan declaratively.
/// </summary>
/// <param name="Summary">One line for the AppHost log: what runs and why.</param>
public sealed record InfrastructurePlan(InfrastructureMode Mode, string Summary, string? RedisServerPath, string RedisDataDirectory)
{
    public MonitoringMode Monitoring { get; init; } = MonitoringMode.None;

    /// <summary>The registry that replaces every container image's public one (<see cref="InfrastructureSettings.ContainerRegistry"/>).</summary>
    public string? ContainerRegistry { get; init; }

    /// <summary>
    /// Redis is an existing one named by <see cref="InfrastructureSettings.ExternalRedisKey"/>, not started here; the
    /// <see cref="Mode"/> then decides only Jaeger and monitoring.
    /// </summary>
    public bool ExternalRedis { get; init; }

    /// <summary>The <c>prometheus</c> executable when <see cref="Monitoring"/> is <see cref="MonitoringMode.LocalPrometheus"/>.</summary>
    public string? PrometheusPath { get; init; }

    private const string InstallRedisHint =
        "install it (Debian/Ubuntu: 'apt-get install -y redis-server'; macOS: 'brew install redis') or set Infrastructure__RedisServerPath";

    private const string ExternalRedisNote =
        "Redis is the existing one ConnectionStrings:cache names (none is started)";

    private const string InstallPrometheusHint =
        "install it to scrape /metrics locally (Debian/Ubuntu: 'apt-get install -y prometheus'; macOS: 'brew install prometheus') or set Infrastructure__PrometheusPath";

    public static async Task<InfrastructurePlan> ResolveAsync(IDistributedApplicationBuilder builder)
    {
        var settings = InfrastructureSettings.From(builder.Configuration);

        if (builder.ExecutionContext.IsPublishMode)
        {
            // Deployment targets run containers; the manifest must not depend on the publishing machine. Prometheus and
            // Grafana stay out of it: production has its own (or Grafana Cloud), which scrapes /metrics or takes OTLP.
            // With ConnectionStrings:cache set, the manifest asks for the connection string at deployment (a secret
            // parameter; the publishing machine's value is not written) instead of declaring a Redis container.
            return new(InfrastructureMode.Containers,
                settings.ExternalRedis
                    ? "publishing: Redis is the connection string 'cache' asked for at deployment, Jaeger a container"
                    : "publishing: Redis and Jaeger are containers",
                null, settings.RedisDataDirectory)
            {
                ContainerRegistry = settings.ContainerRegistry,
                ExternalRedis = settings.ExternalRedis,
            };
        }

        return (await ResolveRunAsync(builder, settings)).WithMonitoring(settings) with { ContainerRegistry = settings.ContainerRegistry };
    }

    private static async Task<InfrastructurePlan> ResolveRunAsync(IDistributedApplicationBuilder builder, InfrastructureSettings settings)
    {
        var preferredRuntime = builder.Configuration["ASPIRE_CONTAINER_RUNTIME"];
        if (settings.ExternalRedis)
        {
            return await ResolveWithExternalRedisAsync(settings, preferredRuntime);
        }

        var redisServer = settings.RedisServerPath ?? ExecutableLocator.FindOnPath("redis-server");

        switch (settings.Mode)
        {
            case InfrastructureMode.Containers:
                var runtime = await ContainerRuntimeProbe.FindRunningAsync(preferredRuntime)
                    ?? throw new DistributedApplicationException(
                        "Infrastructure:Mode is 'Containers' but no container runtime answers ('docker info' and 'podman info' failed). " +
                        "Start Docker or Podman, or set Infrastructure__Mode=Local to run Redis as a local redis-server.");
                return Containers(runtime, settings);

            case InfrastructureMode.Local:
                if (redisServer is null || !File.Exists(redisServer))
                {
                    throw new DistributedApplicationException(
                        $"Infrastructure:Mode is 'Local' but redis-server was not found{(settings.RedisServerPath is null ? " on PATH" : $" at '{settings.RedisServerPath}'")}: {InstallRedisHint}.");
                }

                return Local(redisServer, settings, "Infrastructure:Mode is 'Local'");

            case InfrastructureMode.Embedded:
                return Embedded(settings, "Infrastructure:Mode is 'Embedded'");

            default:
                if (await ContainerRuntimeProbe.FindRunningAsync(preferredRuntime) is { } detected)
                {
                    return Containers(detected, settings);
                }

                return redisServer is not null
                    ? Local(redisServer, settings, "no container runtime answers")
                    : Embedded(settings, $"no container runtime answers and redis-server is not installed ({InstallRedisHint})");
        }
    }

    /// <summary>An existing Redis: nothing to install for it, and the mode decides only whether Jaeger runs as a container.</summary>
    private static async Task<InfrastructurePlan> ResolveWithExternalRedisAsync(InfrastructureSettings settings, string? preferredRuntime)
    {
        if (settings.Mode is InfrastructureMode.Embedded)
        {
            throw new DistributedApplicationException(
                "Infrastructure:Mode is 'Embedded' (sessions in the server's memory, no Redis) but ConnectionStrings:cache names a Redis: " +
                "unset ConnectionStrings__cache for in-memory sessions, or choose Auto, Local or Containers to use that Redis.");
        }

        var runtime = settings.Mode is InfrastructureMode.Local ? null : await ContainerRuntimeProbe.FindRunningAsync(preferredRuntime);
        if (runtime is null && settings.Mode is InfrastructureMode.Containers)
        {
            throw new DistributedApplicationException(
                "Infrastructure:Mode is 'Containers' but no container runtime answers ('docker info' and 'podman info' failed). " +
                "Start Docker or Podman, or set Infrastructure__Mode=Local to run without containers.");
        }

        return runtime is { } engine
            ? new(InfrastructureMode.Containers, $"{engine.Runtime} answers (engine {engine.Version}): {ExternalRedisNote}; Jaeger runs as a container",
                null, settings.RedisDataDirectory) { ExternalRedis = true }
            : new(InfrastructureMode.Local,
                $"{(settings.Mode is InfrastructureMode.Local ? "Infrastructure:Mode is 'Local'" : "no container runtime answers")}: {ExternalRedisNote}; " +
                "Jaeger is left out because it needs containers, traces still reach the Aspire dashboard",
                null, settings.RedisDataDirectory) { ExternalRedis = true };
    }

    /// <summary>Prometheus and Grafana beside the containers; without containers, the local prometheus when one is installed.</summary>
    private InfrastructurePlan WithMonitoring(InfrastructureSettings settings)
    {
        if (Mode is InfrastructureMode.Containers)
        {
            return this with { Monitoring = MonitoringMode.Containers, Summary = $"{Summary}; Prometheus and Grafana run as containers" };
        }

        var prometheus = settings.PrometheusPath ?? ExecutableLocator.FindOnPath("prometheus");
        if (prometheus is null || !File.Exists(prometheus))
        {
            return settings.PrometheusPath is null
                ? this with { Summary = $"{Summary}; no Prometheus ({InstallPrometheusHint})" }
                : throw new DistributedApplicationException(
                    $"{InfrastructureSettings.PrometheusPathKey} is '{settings.PrometheusPath}' but no such file exists: {InstallPrometheusHint}.");
        }

        return this with
        {
            Monitoring = MonitoringMode.LocalPrometheus,
            PrometheusPath = prometheus,
            Summary = $"{Summary}; Prometheus runs as the local executable {prometheus} (Grafana needs containers)",
        };
    }

    private static InfrastructurePlan Containers((string Runtime, string Version) engine, InfrastructureSettings settings) =>
        new(InfrastructureMode.Containers, $"{engine.Runtime} answers (engine {engine.Version}): Redis and Jaeger run as containers", null, settings.RedisDataDirectory);

    private static InfrastructurePlan Local(string redisServer, InfrastructureSettings settings, string why) =>
        new(InfrastructureMode.Local,
            $"{why}: Redis runs as the local executable {redisServer} (data in {settings.RedisDataDirectory}); " +
            "Jaeger is left out because it needs containers, traces still reach the Aspire dashboard",
            redisServer, settings.RedisDataDirectory);

    private static InfrastructurePlan Embedded(InfrastructureSettings settings, string why) =>
        new(InfrastructureMode.Embedded,
            $"{why}: the server keeps sessions in its own memory and Jaeger is left out; traces still reach the Aspire dashboard",
            null, settings.RedisDataDirectory);
}
