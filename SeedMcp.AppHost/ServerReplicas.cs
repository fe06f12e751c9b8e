using Microsoft.Extensions.Configuration;
using SeedMcp.AppHost.Infrastructure;

namespace SeedMcp.AppHost;

/// <summary>How many server processes run behind the server's endpoint. Setting <c>Server:Replicas</c> (env <c>Server__Replicas</c>).</summary>
internal static class ServerReplicas
{
    public const string ConfigurationKey = "Server:Replicas";

    public static IResourceBuilder<ProjectResource> WithConfiguredReplicas(
        this IResourceBuilder<ProjectResource> server, IConfiguration configuration, InfrastructurePlan plan)
    {
        var replicas = configuration.GetValue(ConfigurationKey, 1);
        if (replicas < 1)
        {
            throw new DistributedApplicationException($"Setting '{ConfigurationKey}' (env Server__Replicas) must be 1 or more, but was {replicas}.");
        }

        if (replicas > 1 && plan.Mode is InfrastructureMode.Embedded)
        {
            // Without Redis every replica keeps its own sessions, and a client's next request may land on another one.
            throw new DistributedApplicationException(
                $"Setting '{ConfigurationKey}' is {replicas}, but replicas share sessions through Redis and infrastructure mode is Embedded: " +
                "install redis-server or a container runtime, or run one replica.");
        }

        return replicas == 1 ? server : server.WithReplicas(replicas);
    }
}
