using System.Diagnostics;

namespace SeedMcp.AppHost.Infrastructure;

/// <summary>
/// Asks the container runtime itself whether its engine runs (<c>docker info</c> / <c>podman info</c>, see
/// <see cref="ContainerRuntimeQuery"/>). An installed client without a daemon fails here, which is the point: Aspire
/// would otherwise wait forever for containers that never start.
/// </summary>
internal static class ContainerRuntimeProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The runtime that answered and its engine version, or null. Honours Aspire's <c>ASPIRE_CONTAINER_RUNTIME</c> choice.</summary>
    public static async Task<(string Runtime, string Version)?> FindRunningAsync(string? preferredRuntime)
    {
        IReadOnlyList<string> candidates = string.IsNullOrWhiteSpace(preferredRuntime) ? ContainerRuntimeQuery.DefaultCandidates : [preferredRuntime];
        foreach (var runtime in candidates)
        {
            if (await EngineVersionAsync(runtime) is { } version)
            {
                return (runtime, version);
            }
        }

        return null;
    }

    private static async Task<string?> EngineVersionAsync(string runtime)
    {
        var startInfo = new ProcessStartInfo(runtime, ContainerRuntimeQuery.InfoArguments(runtime))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        try
        {
            using var process = Process.Start(startInfo);
            if (process is null)
            {
                return null;
            }

            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
                await Task.WhenAll(output, process.StandardError.ReadToEndAsync(timeout.Token), process.WaitForExitAsync(timeout.Token));
                return ContainerRuntimeQuery.EngineVersion(process.ExitCode, await output);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not installed.
            return null;
        }
    }
}
