using System.Diagnostics;
using SeedMcp.Benchmarks.Measurement;

namespace SeedMcp.Benchmarks.Infrastructure;

/// <summary>
/// A process the benchmark starts (server, peer, Redis, OTLP sink), pinned to given CPUs with <c>taskset</c>, its
/// output going straight to a log file (never through the generator, which must not spend its core on their logs).
/// Because <c>sh</c> and <c>taskset</c> both <c>exec</c>, <see cref="Pid"/> is the measured program's own id.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    /// <summary>Settings inherited from the caller's shell that would change what a scenario measures.</summary>
    private static readonly string[] ScrubbedPrefixes =
        ["OTEL_", "ASPNETCORE_", "DOTNET_ENVIRONMENT", "ConnectionStrings__", "Auth__", "AUTH_", "Sessions__", "Telemetry__", "RateLimiting__", "Logging__", "Aspire__"];

    private readonly Process _process;

    private ChildProcess(string name, Process process, string logPath)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(
        string name,
        string? cpus,
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string workingDirectory,
        string logPath)
    {
        var startInfo = new ProcessStartInfo("/bin/sh") { WorkingDirectory = workingDirectory, UseShellExecute = false };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add("exec \"$@\" >>\"$SEEDMCP_BENCHMARK_LOG\" 2>&1 </dev/null");
        startInfo.ArgumentList.Add(name);
        if (cpus is not null)
        {
            startInfo.ArgumentList.Add("taskset");
            startInfo.ArgumentList.Add("-c");
            startInfo.ArgumentList.Add(cpus);
        }

        startInfo.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var key in startInfo.Environment.Keys.Where(key => ScrubbedPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal))).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        startInfo.Environment["SEEDMCP_BENCHMARK_LOG"] = logPath;
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {name} ({fileName}).");
        return new ChildProcess(name, process, logPath);
    }

    /// <summary>Polls <paramref name="probe"/> until it succeeds; fails fast, with the log's tail, if the process dies.</summary>
    public async Task WaitUntilReadyAsync(Func<CancellationToken, Task<bool>> probe, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} while starting. Last lines of {LogPath}:\n{LogTail()}");
            }

            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(2));
                if (await probe(attempt.Token))
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or System.Net.Sockets.SocketException
                || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{Name} was not ready after {timeout.TotalSeconds:0} s. Last lines of {LogPath}:\n{LogTail()}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    public CpuSample SampleCpu() => CpuSample.Take(Pid);

    public MemoryUsage Memory() => ProcFs.Memory(Pid);

    public string LogTail(int lines = 20)
    {
        try
        {
            return string.Join('\n', File.ReadLines(LogPath).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>SIGTERM, a few seconds' grace, then SIGKILL; only ever this process, by its id.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
            {
                if (kill is not null)
                {
                    await kill.WaitForExitAsync();
                }
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }
}
