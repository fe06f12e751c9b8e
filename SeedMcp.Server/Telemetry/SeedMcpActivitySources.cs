using System.Diagnostics;
using System.Reflection;

namespace SeedMcp.Server.Telemetry;

/// <summary>One ActivitySource per component, named after it (see <see cref="SeedMcpTelemetry.Sources"/>).</summary>
internal static class SeedMcpActivitySources
{
    private static readonly string? Version =
        typeof(SeedMcpActivitySources).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];

    public static readonly ActivitySource Sessions = new(SeedMcpTelemetry.Sources.Sessions, Version);
    public static readonly ActivitySource Tools = new(SeedMcpTelemetry.Sources.Tools, Version);
    public static readonly ActivitySource Auth = new(SeedMcpTelemetry.Sources.Auth, Version);
    public static readonly ActivitySource Redis = new(SeedMcpTelemetry.Sources.Redis, Version);
}
