namespace SeedMcp.AppHost.Infrastructure;

/// <summary>
/// How the AppHost provides Redis and Jaeger. Setting <c>Infrastructure:Mode</c> (env <c>Infrastructure__Mode</c>).
/// </summary>
public enum InfrastructureMode
{
    /// <summary>Containers when a container runtime answers, else a local redis-server, else <see cref="Embedded"/>.</summary>
    Auto,

    /// <summary>Redis and Jaeger as containers (Docker or Podman). Always used when publishing a manifest.</summary>
    Containers,

    /// <summary>Redis as a local <c>redis-server</c> process on a free port; no Jaeger (traces go to the dashboard).</summary>
    Local,

    /// <summary>No Redis: the server keeps sessions in its own memory. For a first look on a bare machine.</summary>
    Embedded,
}
