using System.Diagnostics;
using SeedMcp.AppHost.Infrastructure;

namespace SeedMcp.Tests.Support;

/// <summary>
/// Whether this machine can run the Containers-mode graph: a Docker engine that answers the AppHost's own probe, builds
/// with BuildKit (Aspire's DCP builds its container-network tunnel image with <c>COPY --chmod</c>), and the Debian
/// binaries the stand-in images are made of. <c>bash .ci/test</c> installs and starts all of it where it can.
/// </summary>
public static class ContainerEngine
{
    public const string Runtime = ContainerRuntimeQuery.Docker;

    private static readonly Lazy<string?> Missing = new(FindMissing);

    /// <summary>Why the container tests cannot run here, or null when they can.</summary>
    public static string? SkipReason => Missing.Value;

    /// <summary>Runs the runtime's CLI; returns exit code and output (stdout then stderr), bounded by <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments, TimeSpan timeout, string? standardInput = null)
    {
        var startInfo = new ProcessStartInfo(Runtime, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{Runtime} did not start.");
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }

        using var cancellation = new CancellationTokenSource(timeout);
        var output = process.StandardOutput.ReadToEndAsync(cancellation.Token);
        var error = process.StandardError.ReadToEndAsync(cancellation.Token);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
            return (process.ExitCode, await output + await error);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{Runtime} {string.Join(' ', startInfo.ArgumentList)}' did not finish within {timeout}.");
        }
    }

    private static string? FindMissing()
    {
        foreach (var binary in new[] { "redis-server", "prometheus", "busybox" })
        {
            if (ExecutableOnPath(binary) is null)
            {
                return $"No {binary} on PATH to build the stand-in images from (Debian: apt-get install -y redis-server prometheus busybox-static; bash .ci/test does).";
            }
        }

        try
        {
            var (exitCode, output) = RunAsync(ContainerRuntimeQuery.InfoArguments(Runtime), TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
            if (ContainerRuntimeQuery.EngineVersion(exitCode, output) is null)
            {
                return $"No Docker engine answers 'docker info' ({output.Trim()}); bash .ci/test installs Debian's docker.io and starts dockerd where the machine allows it.";
            }

            return BuildKitMissing();
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or TimeoutException)
        {
            return $"The docker CLI cannot be run: {exception.Message}";
        }
    }

    /// <summary>DCP runs <c>docker build --progress plain</c> of a Dockerfile with <c>COPY --chmod</c>: try exactly that.</summary>
    private static string? BuildKitMissing()
    {
        var context = Directory.CreateTempSubdirectory("seedmcp-buildkit-probe-");
        try
        {
            File.WriteAllText(Path.Combine(context.FullName, "Dockerfile"), "FROM scratch\nCOPY --chmod=0644 probe /probe\n");
            File.WriteAllText(Path.Combine(context.FullName, "probe"), "probe\n");
            const string tag = "seedmcp-buildkit-probe:1";
            var (exitCode, output) = RunAsync(["build", "--progress", "plain", "--tag", tag, context.FullName], TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
            if (exitCode != 0)
            {
                return "The docker CLI cannot build with BuildKit, which Aspire needs for its container tunnel: install docker-buildx " +
                    $"(bash .ci/test routes builds to Debian's docker 20.10 CLI with DOCKER_BUILDKIT=1 instead). It said: {output.Trim()}";
            }

            RunAsync(["rmi", tag], TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
            return null;
        }
        finally
        {
            context.Delete(recursive: true);
        }
    }

    private static string? ExecutableOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}

/// <summary>A test that needs <see cref="ContainerEngine"/>: skipped, saying why, where the machine cannot run containers.</summary>
public sealed class ContainerFactAttribute : FactAttribute
{
    public ContainerFactAttribute()
    {
        if (ContainerEngine.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
