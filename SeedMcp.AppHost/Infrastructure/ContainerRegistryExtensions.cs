namespace SeedMcp.AppHost.Infrastructure;

public static class ContainerRegistryExtensions
{
    /// <summary>
    /// Pulls the image from <c>Infrastructure:ContainerRegistry</c> when it is set (a private mirror holding the same
    /// repositories and tags); otherwise the image keeps its public registry. Repository and pinned tag stay either way.
    /// </summary>
    public static IResourceBuilder<T> WithRegistryOf<T>(this IResourceBuilder<T> container, InfrastructurePlan plan)
        where T : ContainerResource =>
        plan.ContainerRegistry is { } mirror ? container.WithImageRegistry(mirror) : container;
}
