using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace SeedMcp.Testing;

/// <summary>
/// A process a test or a benchmark starts (the server, Redis, the dashboard, a peer, an OTLP sink), stopped like an
/// orchestrator stops one and only ever by its own id. A test keeps its output in memory (<see cref="Output"/>); a
/// benchmark pins it to given CPUs with <c>taskset</c> and sends its output straight to a log file, never through the
/// load generator, which must not spend its core on their logs. Because <c>sh</c> and <c>taskset</c> both <c>exec</c>,
/// <see cref="Pid"/> is the started program's own id either way.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    /// <summary>Settings a benchmark's shell may hold that would change what a scenario measures.</summary>
    private static readonly string[] BenchmarkScrubbedPrefixes =
        ["OTEL_", "ASPNETCORE_", "DOTNET_ENVIRONMENT", "ConnectionStrings__", "Auth__", "AUTH_", "Sessions__", "Telemetry__", "RateLimiting__", "Logging__", "Aspire__"];

    /// <summary>How long a benchmark's process has to exit after SIGTERM before it is killed.</summary>
    private static readonly TimeSpan BenchmarkStopGrace = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TimeSpan _stopGrace;
    private readonly string? _logPath;

    private ChildProcess(string name, Process process, string? logPath, TimeSpan stopGrace)
    {
        Name = name;
        _process = process;
        _logPath = logPath;
        _stopGrace = stopGrace;
        if (logPath is null)
        {
            _process.OutputDataReceived += (_, line) => Keep(line.Data);
            _process.ErrorDataReceived += (_, line) => Keep(line.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }
    }

    public string Name { get; }

    public int Pid => _process.Id;

    /// <summary>Where a benchmark's process writes its output (a test's is kept in <see cref="Output"/> instead).</summary>
    public string LogPath => _logPath ?? throw new InvalidOperationException($"{Name} keeps its output in memory: read Output.");

    /// <summary>Standard output and error, line by line, as they came (a benchmark's go to <see cref="LogPath"/> instead).</summary>
    public IReadOnlyCollection<string> Output => _output;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// For a test: output kept in <see cref="Output"/>, the test's own environment plus <paramref name="environment"/>
    /// (a null value removes a variable), killed at once with any children on dispose.
    /// </summary>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var startInfo = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Apply(startInfo, environment);
        return new ChildProcess(fileName, Launch(startInfo, fileName), logPath: null, stopGrace: TimeSpan.Zero);
    }

    /// <summary>
    /// For a benchmark: pinned to <paramref name="cpus"/> (a <c>taskset</c> list; null for no pinning), output
    /// appended to <paramref name="logPath"/>, without the caller's settings that would change what is measured, and
    /// given a few seconds to exit after SIGTERM on dispose.
    /// </summary>
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

        foreach (var key in startInfo.Environment.Keys.Where(key => BenchmarkScrubbedPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal))).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        Apply(startInfo, environment.ToDictionary(setting => setting.Key, string? (setting) => setting.Value));
        startInfo.Environment["SEEDMCP_BENCHMARK_LOG"] = logPath;
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        return new ChildProcess(name, Launch(startInfo, $"{name} ({fileName})"), logPath, BenchmarkStopGrace);
    }

    /// <summary>Polls <paramref name="probe"/> until it succeeds; fails fast, with the output's tail, if the process dies.</summary>
    public async Task WaitUntilReadyAsync(Func<CancellationToken, Task<bool>> probe, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} while starting. {DescribeOutput()}");
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
                throw new TimeoutException($"{Name} was not ready after {timeout.TotalSeconds:0} s. {DescribeOutput()}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>The last lines of the output, from the log file or from memory.</summary>
    public string LogTail(int lines = 20)
    {
        if (_logPath is null)
        {
            return string.Join('\n', _output.TakeLast(lines));
        }

        try
        {
            return string.Join('\n', File.ReadLines(_logPath).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>SIGTERM now: what Kubernetes, systemd and Docker send first.</summary>
    public void Terminate()
    {
        var exitCode = SendTerm();
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {Pid} exited with {exitCode}.");
        }
    }

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    /// <summary>
    /// Stops the process if it still runs: SIGTERM and the benchmark's grace period first (a test's process is killed
    /// at once), then SIGKILL for it and any children it left.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited && _stopGrace > TimeSpan.Zero)
        {
            SendTerm();
            using var grace = new CancellationTokenSource(_stopGrace);
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }

        _process.Dispose();
    }

    private static void Apply(ProcessStartInfo startInfo, IReadOnlyDictionary<string, string?> environment)
    {
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }
    }

    private static Process Launch(ProcessStartInfo startInfo, string description) =>
        Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {description}.");

    /// <summary><c>kill -TERM</c> of this process by its id; its exit code (non-zero when it had already gone).</summary>
    private int SendTerm()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        kill.WaitForExit();
        return kill.ExitCode;
    }

    private string DescribeOutput() => $"Last lines of {_logPath ?? "its output"}:\n{LogTail()}";

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
