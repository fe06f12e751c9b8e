namespace SeedMcp.Tests.Testing;

/// <summary>
/// The one <see cref="ChildProcess"/> both ways it is used: a test's (output in memory) and a benchmark's (output in a
/// log file, the id that of the program itself, SIGTERM first on dispose), with real processes.
/// </summary>
public sealed class ChildProcessTests : IDisposable
{
    private readonly DirectoryInfo _logs = Directory.CreateTempSubdirectory("seedmcp-child-process-");

    public void Dispose() => _logs.Delete(recursive: true);

    [Fact]
    public async Task A_tests_process_keeps_both_output_streams_and_its_exit_code()
    {
        await using var process = ChildProcess.Start("/bin/sh", ["-c", "echo \"$GREETING\"; echo to-stderr >&2; exit 3"],
            new Dictionary<string, string?> { ["GREETING"] = "hello" });

        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, process.ExitCode);
        Assert.Equal(["hello", "to-stderr"], process.Output.Order(StringComparer.Ordinal));
        Assert.Throws<InvalidOperationException>(() => process.LogPath);
    }

    [Fact]
    public async Task A_benchmarks_process_writes_to_its_log_is_known_by_its_own_id_and_stops_on_sigterm()
    {
        var logPath = Path.Combine(_logs.FullName, "nested", "sleeper.log");
        var process = ChildProcess.Start("sleeper", cpus: null, "/bin/sh", ["-c", "echo started; exec sleep 60"],
            new Dictionary<string, string>(), _logs.FullName, logPath);

        await process.WaitUntilReadyAsync(
            _ => Task.FromResult(File.Exists(logPath) && File.ReadAllText(logPath).Contains("started", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), CancellationToken.None);
        // sh -c exec, then the program's own exec: the id is that of what now runs, not of a wrapper shell.
        var pid = process.Pid;
        Assert.Equal("sleep", File.ReadAllText($"/proc/{pid}/comm").Trim());
        Assert.Empty(process.Output);
        Assert.Equal("started", process.LogTail());

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await process.DisposeAsync();

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(4), $"sleep outlived SIGTERM: stopped after {stopping.Elapsed}");
        Assert.False(Directory.Exists($"/proc/{pid}"));
    }
}
