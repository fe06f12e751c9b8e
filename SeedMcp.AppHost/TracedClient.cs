namespace SeedMcp.AppHost;

/// <summary>
/// The traced MCP client (<c>SeedMcp.Client</c>) as a resource with explicit start: the dashboard's Start button
/// runs its scenario once against the server, and the trace it produces spans client, server and Redis.
/// A local demonstration, so it is left out of published manifests.
/// </summary>
internal static class TracedClient
{
    public const string ResourceName = "client";

    public static IDistributedApplicationBuilder AddTracedClient(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> server)
    {
        if (builder.ExecutionContext.IsRunMode)
        {
            builder.AddProject<Projects.SeedMcp_Client>(ResourceName)
                .WithReference(server)
                .WaitFor(server)
                .WithExplicitStart();
        }

        return builder;
    }
}
