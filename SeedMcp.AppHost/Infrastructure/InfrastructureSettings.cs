using Microsoft.Extensions.Configuration;

namespace SeedMcp.AppHost.Infrastructure;

/// <summary>The AppHost's own settings, read from configuration (appsettings, environment, command line).</summary>
public sealed record InfrastructureSettings(InfrastructureMode Mode, string? RedisServerPath, string RedisDataDirectory, string? PrometheusPath)
{
    public const string ModeKey = "Infrastructure:Mode";
    public const string RedisServerPathKey = "Infrastructure:RedisServerPath";
    public const string RedisDataDirectoryKey = "Infrastructure:RedisDataDirectory";
    public const string PrometheusPathKey = "Infrastructure:PrometheusPath";

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

        return new InfrastructureSettings(mode, configuration[RedisServerPathKey], dataDirectory, configuration[PrometheusPathKey]);
    }
}
