using Microsoft.Extensions.Configuration;

namespace SeedMcp.AppHost.Infrastructure;

/// <summary>The AppHost's own settings, read from configuration (appsettings, environment, command line).</summary>
public sealed record InfrastructureSettings(InfrastructureMode Mode, string? RedisServerPath, string RedisDataDirectory, string? PrometheusPath)
{
    /// <summary>
    /// The registry every container image is pulled from instead of its public one (a private mirror, e.g.
    /// <c>mirror.example.com</c> or <c>harbor.example.com/dockerhub</c>); null keeps each image's public registry.
    /// </summary>
    public string? ContainerRegistry { get; init; }

    /// <summary>
    /// <c>ConnectionStrings:cache</c> is set for the AppHost: the server uses that existing Redis (or Redis Cluster) and
    /// no Redis is started; when publishing, the manifest asks for the connection string at deployment instead.
    /// </summary>
    public bool ExternalRedis { get; init; }

    /// <summary>The connection string of an existing Redis; env <c>ConnectionStrings__cache</c>.</summary>
    public const string ExternalRedisKey = "ConnectionStrings:cache";

    public const string ModeKey = "Infrastructure:Mode";
    public const string RedisServerPathKey = "Infrastructure:RedisServerPath";
    public const string RedisDataDirectoryKey = "Infrastructure:RedisDataDirectory";
    public const string PrometheusPathKey = "Infrastructure:PrometheusPath";
    public const string ContainerRegistryKey = "Infrastructure:ContainerRegistry";

    public static InfrastructureSettings From(IConfiguration configuration)
    {
        var modeText = configuration[ModeKey];
        var mode = InfrastructureMode.Auto;
        if (!string.IsNullOrWhiteSpace(modeText) && !Enum.TryParse(modeText, ignoreCase: true, out mode))
        {
            throw new InvalidOperationException(
                $"Setting '{ModeKey}' (env Infrastructure__Mode) is '{modeText}'; use one of: {string.Join(", ", Enum.GetNames<InfrastructureMode>())}.");
        }

        var dataDirectory = configuration[RedisDataDirectoryKey] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
                "seedmcp", "redis");

        return new InfrastructureSettings(mode, configuration[RedisServerPathKey], dataDirectory, configuration[PrometheusPathKey])
        {
            ContainerRegistry = ContainerRegistryFrom(configuration[ContainerRegistryKey]),
            ExternalRedis = !string.IsNullOrWhiteSpace(configuration[ExternalRedisKey]),
        };
    }

    private static string? ContainerRegistryFrom(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var registry = text.Trim().TrimEnd('/');
        if (registry.Contains("://", StringComparison.Ordinal) || registry.Any(char.IsWhiteSpace) || registry.StartsWith('/'))
        {
            throw new InvalidOperationException(
                $"Setting '{ContainerRegistryKey}' (env Infrastructure__ContainerRegistry) is '{text}'; give a registry host with an optional " +
                "path and no scheme, e.g. 'mirror.example.com' or 'harbor.example.com:8443/dockerhub', or leave it unset to pull from the public registries.");
        }

        return registry;
    }
}
