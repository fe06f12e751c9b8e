namespace SeedMcp.AppHost.Infrastructure;

/// <summary>
/// What to ask each container runtime to prove that its engine answers, and how to read the answer; kept apart from
/// <see cref="ContainerRuntimeProbe"/> so it is testable without a runtime. The two CLIs share <c>info --format</c> but
/// not its fields: Docker has <c>.ServerVersion</c>, Podman <c>.Version.Version</c>; a field of the other runtime makes
/// the template fail.
/// </summary>
public static class ContainerRuntimeQuery
{
    public const string Docker = "docker";
    public const string Podman = "podman";

    /// <summary>The runtimes tried, in order, when Aspire's <c>ASPIRE_CONTAINER_RUNTIME</c> names none.</summary>
    public static IReadOnlyList<string> DefaultCandidates { get; } = [Docker, Podman];

    /// <summary>The arguments of the runtime's <c>info</c> command that print only the engine's version.</summary>
    public static IReadOnlyList<string> InfoArguments(string runtime) =>
        ["info", "--format", IsPodman(runtime) ? "{{.Version.Version}}" : "{{.ServerVersion}}"];

    /// <summary>
    /// The engine's version, or null when it did not answer. Exit code 0 alone is no proof: some Docker CLIs exit 0 with
    /// the daemon down and print an empty version, so the output must hold one too.
    /// </summary>
    public static string? EngineVersion(int exitCode, string standardOutput)
    {
        var version = standardOutput.Trim();
        return exitCode == 0 && version.Length > 0 && !version.Contains("<no value>", StringComparison.Ordinal) ? version : null;
    }

    /// <summary>Podman by its executable name (<c>podman</c>, <c>/usr/bin/podman</c>); anything else speaks Docker's CLI.</summary>
    private static bool IsPodman(string runtime) =>
        Path.GetFileNameWithoutExtension(runtime).Equals(Podman, StringComparison.OrdinalIgnoreCase);
}
