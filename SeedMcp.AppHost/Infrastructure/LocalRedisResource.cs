namespace SeedMcp.AppHost.Infrastructure;

/// <summary>
/// Redis as a local <c>redis-server</c> process: what a machine without a container engine runs instead of the
/// Redis container. Its connection string has the same shape as the container's minus the password (it listens on
/// loopback only), so the server cannot tell the two apart.
/// </summary>
public sealed class LocalRedisResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}
