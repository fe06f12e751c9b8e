using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SeedMcp.AppHost.Infrastructure;

namespace SeedMcp.AppHost;

internal static class ResourceNames
{
    public const string Cache = "cache";
    public const string Jaeger = "jaeger";
    public const string Server = "server";
}

/// <summary>Jaeger v2 (v1 all-in-one is end-of-life): one binary with the OTLP receivers and the UI.</summary>
internal static class JaegerContainerImage
{
    public const string Registry = "docker.io";
    public const string Image = "jaegertracing/jaeger";
    public const string Tag = "2.15.0";
    public const string UiEndpointName = "http";
    public const string OtlpGrpcEndpointName = "otlp-grpc";
    public const string OtlpHttpEndpointName = "otlp-http";
}

/// <summary>AppHost parameters (<c>Parameters:auth-authority</c>, env <c>Parameters__auth-authority</c>) for bearer authentication.</summary>
internal static class AuthParameters
{
    public const string Authority = "auth-authority";
    public const string Audience = "auth-audience";
}

internal static class Extensions
{
    /// <summary>
    /// Redis as the plan says: an existing one (<c>ConnectionStrings:cache</c>, a connection-string parameter), a
    /// container, a local redis-server, or none (embedded).
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString>? AddCache(this IDistributedApplicationBuilder builder, InfrastructurePlan plan)
    {
        if (plan.ExternalRedis)
        {
            return builder.AddConnectionString(ResourceNames.Cache);
        }

        return plan.Mode switch
        {
            InfrastructureMode.Containers => builder.AddRedis(ResourceNames.Cache).WithRegistryOf(plan).WithDataVolume().WithPersistence(TimeSpan.FromSeconds(10)),
            InfrastructureMode.Local => builder.AddLocalRedis(ResourceNames.Cache, plan.RedisServerPath!, plan.RedisDataDirectory),
            _ => null,
        };
    }

    /// <summary>Jaeger only where containers run; elsewhere traces go to the dashboard alone.</summary>
    public static IResourceBuilder<ContainerResource>? AddJaeger(this IDistributedApplicationBuilder builder, InfrastructurePlan plan) =>
        plan.Mode is not InfrastructureMode.Containers
            ? null
            : builder.AddContainer(ResourceNames.Jaeger, JaegerContainerImage.Image, JaegerContainerImage.Tag)
                .WithImageRegistry(JaegerContainerImage.Registry)
                .WithRegistryOf(plan)
                .WithHttpEndpoint(targetPort: 16686, name: JaegerContainerImage.UiEndpointName)
                .WithEndpoint(targetPort: 4317, name: JaegerContainerImage.OtlpGrpcEndpointName, scheme: "http")
                .WithEndpoint(targetPort: 4318, name: JaegerContainerImage.OtlpHttpEndpointName, scheme: "http")
                .WithHttpHealthCheck("/", endpointName: JaegerContainerImage.UiEndpointName);

    /// <summary>
    /// The server's <c>ConnectionStrings:cache</c>. It waits for a Redis the AppHost starts; an existing one is not
    /// waited for (nothing here watches it): the server connects to it by itself and reports it on <c>/health</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithCache(
        this IResourceBuilder<ProjectResource> server, IResourceBuilder<IResourceWithConnectionString>? cache, InfrastructurePlan plan) =>
        cache is null ? server : plan.ExternalRedis ? server.WithReference(cache) : server.WithReference(cache).WaitFor(cache);

    /// <summary>
    /// Sends the server's traces to Jaeger as a second destination; the dashboard stays the primary one
    /// (Aspire sets OTEL_EXPORTER_OTLP_ENDPOINT). No WaitFor: a slow Jaeger must not hold the server back.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithJaeger(
        this IResourceBuilder<ProjectResource> server, IResourceBuilder<ContainerResource>? jaeger) =>
        jaeger is null
            ? server
            : server.WithEnvironment("Telemetry__SecondaryTraceEndpoint", jaeger.GetEndpoint(JaegerContainerImage.OtlpGrpcEndpointName));

    /// <summary>
    /// Bearer authentication when the <c>auth-authority</c> parameter is set; the audience is the <c>auth-audience</c>
    /// parameter, or locally the server's own <c>/mcp</c> URL. A local run without an authority lets anonymous callers
    /// in (<c>AUTH_REQUIRED=false</c>); a published manifest always asks for both parameters, so a deployment cannot
    /// come out open by accident.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithAuth(this IResourceBuilder<ProjectResource> server)
    {
        var builder = server.ApplicationBuilder;
        bool Configured(string parameter) => !string.IsNullOrWhiteSpace(builder.Configuration[$"Parameters:{parameter}"]);

        if (builder.ExecutionContext.IsRunMode && !Configured(AuthParameters.Authority))
        {
            return server.WithEnvironment("AUTH_REQUIRED", "false");
        }

        server.WithEnvironment("Auth__Authority", builder.AddParameter(AuthParameters.Authority));
        return builder.ExecutionContext.IsPublishMode || Configured(AuthParameters.Audience)
            ? server.WithEnvironment("Auth__Audience", builder.AddParameter(AuthParameters.Audience))
            : server.WithEnvironment("Auth__Audience", ReferenceExpression.Create($"{server.GetEndpoint("http")}/mcp"));
    }

    /// <summary>Says once, in the AppHost log, which infrastructure runs and why.</summary>
    public static IDistributedApplicationBuilder LogInfrastructurePlan(this IDistributedApplicationBuilder builder, InfrastructurePlan plan)
    {
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SeedMcp.AppHost.Infrastructure");
            if (plan.Mode is InfrastructureMode.Embedded)
            {
                AppHostLog.EmbeddedInfrastructure(logger, plan.Summary);
            }
            else
            {
                AppHostLog.InfrastructureChosen(logger, plan.Mode, plan.Summary);
            }

            return Task.CompletedTask;
        });
        return builder;
    }
}

internal static partial class AppHostLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Infrastructure mode {Mode}: {Summary}")]
    public static partial void InfrastructureChosen(ILogger logger, InfrastructureMode mode, string summary);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Infrastructure mode Embedded: {Summary}")]
    public static partial void EmbeddedInfrastructure(ILogger logger, string summary);
}
