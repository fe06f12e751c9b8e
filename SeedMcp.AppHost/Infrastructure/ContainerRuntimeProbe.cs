using System.Diagnostics;

namespace SeedMcp.AppHost.Infrastructure;

/// <summary>
/// Asks the container runtime itself whether it runs (<c>docker info</c> / <c>podman info</c>). An installed client
/// without a daemon fails here, which is the point: Aspire would otherwise wait forever for containers that never start.
/// </summary>
internal static class ContainerRuntimeProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The runtime that answered, or null. Honours Aspire's <c>ASPIRE_CONTAINER_RUNTIME</c> choice.</summary>
    public static async Task<string?> FindRunningAsync(string? preferredRuntime)
    {
        string[] candidates = string.IsNullOrWhiteSpace(preferredRuntime) ? ["docker", "podman"] : [preferredRuntime];
        foreach (var runtime in candidates)
        {
            if (await AnswersAsync(runtime))
            {
                return runtime;
            }
        }

        return null;
    }

    private static async Task<bool> AnswersAsync(string runtime)
    {
        var startInfo = new ProcessStartInfo(runtime, ["info", "--format", "{{.Host.Arch}}{{.ServerVersion}}"])
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
                return false;
            }

            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await Task.WhenAll(
                    process.StandardOutput.ReadToEndAsync(timeout.Token),
                    process.StandardError.ReadToEndAsync(timeout.Token),
                    process.WaitForExitAsync(timeout.Token));
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not installed.
            return false;
        }
    }
}
