using Microsoft.Extensions.DependencyInjection;

namespace SeedMcp.AppHost.Infrastructure;

public static class LocalRedisBuilderExtensions
{
    /// <summary>
    /// Adds <c>redis-server</c> as a local process on a port Aspire allocates (never a fixed one: parallel runs would
    /// collide), with append-only persistence in <paramref name="dataDirectory"/> and a PING health check.
    /// </summary>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(
        this IDistributedApplicationBuilder builder, string name, string redisServerPath, string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var redis = new LocalRedisResource(name, redisServerPath, dataDirectory);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(redis, async (_, cancellationToken) =>
            connectionString = await ((IResourceWithConnectionString)redis).GetConnectionStringAsync(cancellationToken));

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis(
            _ => connectionString ?? throw new InvalidOperationException($"The connection string of '{name}' is not available yet."),
            name: healthCheckKey);

        return builder.AddResource(redis)
            .WithEndpoint(name: LocalRedisResource.PrimaryEndpointName, scheme: "tcp")
            .WithArgs(context =>
            {
                context.Args.Add("--port");
                context.Args.Add(redis.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--dir");
                context.Args.Add(dataDirectory);
                // Sessions written before a Redis restart must still be there after it.
                context.Args.Add("--appendonly");
                context.Args.Add("yes");
                context.Args.Add("--appendfsync");
                context.Args.Add("everysec");
                // No RDB snapshots: AOF is the persistence, and a snapshot fork doubles memory on small machines.
                context.Args.Add("--save");
                context.Args.Add(string.Empty);
            })
            .WithHealthCheck(healthCheckKey);
    }
}
