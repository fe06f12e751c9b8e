using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SeedMcp.Benchmarks.Auth;
using SeedMcp.Benchmarks.Infrastructure;
using SeedMcp.Benchmarks.Load;
using SeedMcp.Benchmarks.Measurement;
using SeedMcp.Benchmarks.Otlp;

namespace SeedMcp.Benchmarks.Suite;

/// <summary>
/// The interleaved benchmark. Every scenario's server runs side by side, pinned to the server core; this process
/// (the load generator), the OTLP sink and Redis share the other core. Short bursts rotate through the scenarios, so
/// each round holds one burst of every scenario for every cell (tool × sessions) within seconds of each other; ratios
/// are taken within a round and their median over rounds is reported. Machine noise that lasts longer than a burst
/// moves both sides of a ratio alike.
/// </summary>
public sealed class SuiteRunner(SuiteSettings settings, string command, TextWriter output)
{
    /// <summary>OpenTelemetry's batch span processor exports every 5 s: wait this long for the last batch.</summary>
    private static readonly TimeSpan ExportFlush = TimeSpan.FromSeconds(6.5);

    private readonly List<BurstRecord> _bursts = [];
    private readonly List<ServerUnderTest> _servers = [];
    private OtlpSinkProcess? _sink;

    public async Task<SuiteResult> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var paths = BenchmarkPaths.Locate(settings.RepoRoot);
        Preflight(paths);

        var runDirectory = settings.OutputDirectory
            ?? Path.Combine(paths.RepoRoot, "artifacts", "benchmarks", startedAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        var logDirectory = Path.Combine(runDirectory, "logs");
        Directory.CreateDirectory(logDirectory);
        Log($"Run directory: {runDirectory}");

        var scenarios = SelectScenarios();
        var coldStart = ColdStartWanted ? Scenarios.ColdStart(settings.FullAuth, settings.FullSettings) : null;
        var serverCpus = settings.Pin ? settings.ServerCpus : null;
        var clientCpus = settings.Pin ? settings.ClientCpus : null;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var invoker = McpSession.CreateInvoker();
        TestIdentityProvider? issuer = null;
        try
        {
            // Shared infrastructure on the client core: the OTLP sink (one port per traced server) and the token issuer.
            var exporting = scenarios.Append(coldStart).OfType<Scenario>().Where(s => s.Tracing && s.Otlp == OtlpTarget.Sink).ToList();
            var otlpPorts = exporting.ToDictionary(s => s.Name, _ => FreePort.Next());
            if (otlpPorts.Count > 0)
            {
                // The TypeScript exporter speaks OTLP/HTTP: its port does whatever the suite's protocol is.
                _sink = await OtlpSinkProcess.StartAsync(
                    [.. exporting.Where(s => s.Kind != ServerKind.TypeScriptSeedStack).Select(s => otlpPorts[s.Name])], settings.OtlpProtocol, clientCpus,
                    Path.Combine(logDirectory, "otlp-sink.log"), cancellationToken,
                    [.. exporting.Where(s => s.Kind == ServerKind.TypeScriptSeedStack).Select(s => otlpPorts[s.Name])]);
            }

            if (scenarios.Append(coldStart).Any(s => s?.Auth == true))
            {
                issuer = await BenchmarkTokens.StartIssuerAsync(cancellationToken);
            }

            // Nobody listens on this port: the "collector down" scenario exports into the void.
            var infrastructure = new SharedInfrastructure(FreePort.Next(), settings.OtlpProtocol, issuer);

            Log($"Starting {scenarios.Count} servers on CPU {serverCpus ?? "any"}: {string.Join(", ", scenarios.Select(s => s.Name))}");
            foreach (var scenario in scenarios)
            {
                _servers.Add(await ServerUnderTest.StartAsync(scenario, paths, infrastructure,
                    otlpPorts.TryGetValue(scenario.Name, out var otlpPort) ? otlpPort : null, serverCpus, clientCpus, logDirectory, cancellationToken));
            }

            var token = (issuer is null ? null : BenchmarkTokens.Mint(issuer, TimeSpan.FromHours(2)));
            var maxSessions = settings.SessionCounts.Max();
            foreach (var server in _servers)
            {
                await server.WaitUntilReadyAsync(http, cancellationToken);
                await server.OpenSessionsAsync(invoker, maxSessions, token, cancellationToken);
            }

            Log($"All servers ready after {clock.Elapsed.TotalSeconds:0} s; warming up ({settings.ServerWarmup.TotalSeconds:0.#} s of load per server) until the JIT has tiered up.");
            foreach (var server in _servers)
            {
                foreach (var (tool, index) in ToolsOf(server).Select((tool, index) => (tool, index)))
                {
                    var length = index == 0 ? settings.ServerWarmup : settings.ServerWarmup / 3;
                    var warmup = await LoadGenerator.RunAsync(server.Sessions, ToolCall.For(tool, server.Scenario.FailingCallShare), new LoadShape(length, TimeSpan.FromMilliseconds(200)), cancellationToken: cancellationToken);
                    if (warmup.Errors > 0)
                    {
                        throw new InvalidOperationException($"{server.Scenario.Name} fails {tool} calls during warm-up: {warmup.FirstError}");
                    }
                }
            }

            var warmMemory = _servers.ToDictionary(server => server.Scenario.Name, server => server.Process.Memory());
            await RunRoundsAsync(cancellationToken);
            var memory = await RunSustainedAsync(warmMemory, cancellationToken);
            var volume = await RunVolumeAsync(cancellationToken);
            var totals = await CollectTotalsAsync(cancellationToken);
            ColdStartRecord? cold = null;
            var builds = new List<ColdStartBuildRecord>();
            if (coldStart is not null)
            {
                // The default publish output first (the target reads it), then every build in turn, repeated.
                List<KeyValuePair<string, string>> all = [new("default", paths.PublishedServerDirectory), .. settings.ColdStartBuilds];
                for (var repetition = 1; repetition <= (settings.ColdStartBuilds.Count == 0 ? 1 : settings.ColdStartRepeats); repetition++)
                {
                    foreach (var (build, directory) in all)
                    {
                        var record = await RunColdStartAsync(coldStart, paths with { PublishedServerDirectory = directory }, infrastructure,
                            otlpPorts.TryGetValue(coldStart.Name, out var coldOtlp) ? coldOtlp : null, serverCpus, clientCpus, logDirectory, invoker, http, token, cancellationToken);
                        cold ??= record;
                        builds.Add(new ColdStartBuildRecord(build, directory, repetition, record));
                    }
                }
            }

            var result = new SuiteResult(
                RunInfoFor(startedAt, clock.Elapsed, paths),
                [.. scenarios.Append(coldStart).OfType<Scenario>().Select(s => new ScenarioInfo(s.Name, s.Summary, s.Diagnostic, s.Tools, s.VariantOf))],
                _bursts,
                memory,
                volume,
                totals,
                cold,
                settings.ColdStartBuilds.Count == 0 ? null : builds);

            await File.WriteAllTextAsync(Path.Combine(runDirectory, "results.json"), JsonSerializer.Serialize(result, JsonOptions), cancellationToken);
            var report = new Report(result).ToMarkdown();
            await File.WriteAllTextAsync(Path.Combine(runDirectory, "report.md"), report, cancellationToken);
            Log($"Done in {clock.Elapsed.TotalMinutes:0.0} min. Report: {Path.Combine(runDirectory, "report.md")}");
            return result;
        }
        finally
        {
            await Task.WhenAll(_servers.Select(async s => await s.DisposeAsync()));
            if (_sink is not null)
            {
                await _sink.DisposeAsync();
            }

            if (issuer is not null)
            {
                await issuer.DisposeAsync();
            }
        }
    }

    public static JsonSerializerOptions JsonOptions { get; } = new() { WriteIndented = true };

    private bool ColdStartWanted => settings.ColdStart > TimeSpan.Zero && (settings.Only.Count == 0 || settings.Only.Contains(ColdStartName));

    private const string ColdStartName = "cold-start";

    private List<Scenario> SelectScenarios()
    {
        var all = Scenarios.All(settings.FullAuth, settings.FullSettings);
        var variants = settings.Variants.Select(variant => variant.Of(all)).ToList();
        if (settings.Only.Count == 0)
        {
            return [.. all.Where(s => settings.Diagnostics || !s.Diagnostic), .. variants];
        }

        var unknown = settings.Only.Except(all.Select(s => s.Name)).Where(name => name != ColdStartName).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown scenario(s) {string.Join(", ", unknown)}; known: {string.Join(", ", all.Select(s => s.Name))}.");
        }

        // A variant runs with its base, whether --only names the base or not: the pair is the point.
        var selected = all.Where(s => s == Scenarios.Off || settings.Only.Contains(s.Name) || variants.Any(v => v.VariantOf == s.Name));
        return [.. selected, .. variants];
    }

    private IEnumerable<string> ToolsOf(ServerUnderTest server) => settings.Tools.Where(server.Scenario.Tools.Contains);

    /// <summary>
    /// Rounds of bursts. Within a round, each cell (tool × sessions) runs every scenario back to back; the order of
    /// cells and of scenarios rotates from round to round so no scenario always goes first or last.
    /// </summary>
    private async Task RunRoundsAsync(CancellationToken cancellationToken)
    {
        var cells = settings.Tools.SelectMany(tool => settings.SessionCounts.Select(sessions => (Tool: tool, Sessions: sessions))).ToList();
        var shape = new LoadShape(settings.BurstWarmup, settings.Burst);
        for (var round = 1; round <= settings.Rounds; round++)
        {
            var roundClock = Stopwatch.StartNew();
            foreach (var cell in Rotate(cells, round))
            {
                var servers = Rotate(_servers.Where(s => ToolsOf(s).Contains(cell.Tool)
                    && (!s.Scenario.MostSessionsOnly || cell.Sessions == settings.SessionCounts.Max())).ToList(), round);
                if (round % 2 == 0)
                {
                    servers.Reverse();
                }

                foreach (var server in servers)
                {
                    var burst = await BurstAsync(server, cell.Tool, cell.Sessions, round, shape, cancellationToken);
                    _bursts.Add(burst);
                    if (burst.Errors > 0)
                    {
                        Log($"  ! {server.Scenario.Name} {cell.Tool}@{cell.Sessions}: {burst.Errors} errors, first: {burst.FirstError}");
                    }
                }
            }

            var off = _bursts.Where(b => b.Round == round && b.Scenario == Scenarios.Off.Name).ToList();
            Log($"Round {round}/{settings.Rounds} in {roundClock.Elapsed.TotalSeconds:0} s; off: "
                + string.Join(", ", off.Select(b => $"{b.Tool}@{b.Sessions} {b.CallsPerSecond:0}/s {b.ServerCpuMicrosPerCall:0} µs/call"))
                + $"; foreign load on server core median {Median(_bursts.Where(b => b.Round == round).Select(b => b.ServerCoreForeignLoad)):P0}");
        }
    }

    /// <summary>
    /// Sustained closed-loop load (echo, most sessions) on the scenarios whose memory is compared, in alternating
    /// chunks so machine noise spreads evenly; then the resident memory of every server.
    /// </summary>
    private async Task<List<MemoryRecord>> RunSustainedAsync(Dictionary<string, MemoryUsage> warmMemory, CancellationToken cancellationToken)
    {
        var sustained = _servers.Where(s => s.Scenario.Sustained && (settings.SustainedOnly.Count == 0 || settings.SustainedOnly.Contains(s.Scenario.Name))).ToList();
        var sessions = settings.SessionCounts.Max();
        Log($"Sustained run: {settings.Sustained.TotalSeconds:0} s of echo@{sessions} on each of {string.Join(", ", sustained.Select(s => s.Scenario.Name))}.");
        var chunks = Math.Max(1, (int)Math.Round(settings.Sustained / settings.SustainedChunk));
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            foreach (var server in Rotate(sustained, chunk))
            {
                var load = await LoadGenerator.RunAsync(server.Sessions.Take(sessions).ToList(), ToolCall.For(ToolCall.Echo, server.Scenario.FailingCallShare),
                    new LoadShape(TimeSpan.Zero, settings.SustainedChunk), cancellationToken: cancellationToken);
                server.EnsureAlive();
                if (load.Errors > 0)
                {
                    Log($"  ! {server.Scenario.Name} sustained: {load.Errors} errors, first: {load.FirstError}");
                }
            }
        }

        return [.. _servers.Select(server =>
        {
            var memory = server.Process.Memory();
            return new MemoryRecord(server.Scenario.Name, warmMemory[server.Scenario.Name].RssBytes / 1048576.0, memory.RssBytes / 1048576.0,
                memory.PeakRssBytes / 1048576.0, sustained.Contains(server) ? settings.Sustained.TotalSeconds : 0,
                memory.AnonymousBytes / 1048576.0, memory.FileBytes / 1048576.0, memory.SharedBytes / 1048576.0);
        })];
    }

    /// <summary>
    /// Trace volume at a given load: each probed server in turn gets <see cref="SuiteSettings.VolumeRate"/> calls/s
    /// (open loop, echo); what its own sink port received in that time, after the last batch is flushed, is the volume.
    /// </summary>
    private async Task<List<VolumeRecord>> RunVolumeAsync(CancellationToken cancellationToken)
    {
        var probed = _servers.Where(s => s.Scenario.VolumeProbe && s.OtlpPort is not null).ToList();
        if (probed.Count == 0 || _sink is null)
        {
            return [];
        }

        Log($"Trace volume: {settings.VolumeRate:0} calls/s for {settings.VolumeDuration.TotalSeconds:0} s on each of {string.Join(", ", probed.Select(s => s.Scenario.Name))}.");
        await Task.Delay(ExportFlush, cancellationToken);
        var before = await _sink.StatsAsync(cancellationToken);
        var sessions = settings.SessionCounts.Max();
        var calls = new Dictionary<string, long>();
        foreach (var server in probed)
        {
            var sent = server.CallsSent;
            var load = await LoadGenerator.RunAsync(server.Sessions.Take(sessions).ToList(), ToolCall.For(ToolCall.Echo, server.Scenario.FailingCallShare),
                new LoadShape(TimeSpan.Zero, settings.VolumeDuration, settings.VolumeRate), cancellationToken: cancellationToken);
            calls[server.Scenario.Name] = server.CallsSent - sent;
            if (load.Errors > 0)
            {
                Log($"  ! {server.Scenario.Name} volume: {load.Errors} errors, first: {load.FirstError}");
            }
        }

        await Task.Delay(ExportFlush, cancellationToken);
        var after = await _sink.StatsAsync(cancellationToken);
        return [.. probed.Select(server =>
        {
            var delta = after[server.OtlpPort!.Value].Minus(before[server.OtlpPort.Value]);
            var sent = calls[server.Scenario.Name];
            return new VolumeRecord(
                server.Scenario.Name,
                settings.VolumeRate,
                settings.VolumeDuration.TotalSeconds,
                sent,
                delta.Traces.Bytes,
                delta.Traces.Items,
                delta.Logs.Bytes,
                delta.Logs.Items,
                delta.SpanNames.Where(n => n.Value > 0).ToDictionary(n => n.Key, n => sent == 0 ? 0 : (double)n.Value / sent));
        })];
    }

    /// <summary>
    /// A replica started as users start one, after everything else (the other servers idle): the published server with
    /// the full stack's configuration and nothing else, pinned like the rest. From its first call on, closed-loop echo
    /// in one-second windows; its steady calls/s is the median window of the run's last part.
    /// </summary>
    private async Task<ColdStartRecord> RunColdStartAsync(
        Scenario scenario, BenchmarkPaths paths, SharedInfrastructure infrastructure, int? otlpPort, string? serverCpus, string? clientCpus,
        string logDirectory, HttpMessageInvoker invoker, HttpClient http, string? token, CancellationToken cancellationToken)
    {
        var sessions = settings.SessionCounts.Max();
        Log($"Cold start: {paths.PublishedServerExecutable} with the full stack's configuration only; echo@{sessions} for {settings.ColdStart.TotalSeconds:0} s from its first call.");
        var started = Stopwatch.StartNew();
        await using var server = await ServerUnderTest.StartAsync(scenario, paths, infrastructure, otlpPort, serverCpus, clientCpus, logDirectory, cancellationToken);
        await server.WaitUntilReadyAsync(http, cancellationToken);
        var healthy = started.Elapsed.TotalSeconds;
        await server.OpenSessionsAsync(invoker, sessions, token, cancellationToken);
        var opened = started.Elapsed.TotalSeconds;

        var seconds = new List<ColdStartSecond>();
        long errors = 0;
        string? firstError = null;
        var load = Stopwatch.StartNew();
        while (load.Elapsed < settings.ColdStart)
        {
            var at = load.Elapsed.TotalSeconds;
            CpuSample? cpuStart = null, cpuEnd = null;
            var window = await LoadGenerator.RunAsync(server.Sessions, ToolCall.For(ToolCall.Echo, server.Scenario.FailingCallShare), new LoadShape(TimeSpan.Zero, TimeSpan.FromSeconds(1)),
                windowOpened: () => cpuStart = server.Process.SampleCpu(), windowClosed: () => cpuEnd = server.Process.SampleCpu(), cancellationToken: cancellationToken);
            server.EnsureAlive();
            errors += window.Errors;
            firstError ??= window.FirstError;
            var cpu = (cpuEnd!.Value.Cpu - cpuStart!.Value.Cpu).TotalSeconds;
            seconds.Add(new ColdStartSecond(at, window.Window.TotalSeconds, window.Calls, window.CallsPerSecond,
                window.Calls == 0 ? 0 : cpu * 1e6 / window.Calls, window.Latency.Percentile(99).TotalMilliseconds));
        }

        var record = new ColdStartRecord(scenario.Name, sessions, healthy, opened, settings.ColdStartSteady.TotalSeconds, seconds, errors, firstError);
        var summary = ColdStartSummary.Of(record);
        Log($"Cold start: healthy after {healthy:0.0} s; first 10 s {summary.First10CallsPerSecond:0} calls/s = {summary.First10Share:P0} of steady {summary.SteadyCallsPerSecond:0}.");
        return record;
    }

    private async Task<List<TotalsRecord>> CollectTotalsAsync(CancellationToken cancellationToken)
    {
        var stats = _sink is null ? null : await _sink.StatsAsync(cancellationToken);
        var totals = new List<TotalsRecord>();
        foreach (var server in _servers)
        {
            var sink = server.OtlpPort is { } port && stats is not null ? stats[port] : new EndpointStats();
            var console = new FileInfo(server.Process.LogPath);
            var redisCommands = server.RedisPort is { } redisPort ? await RedisServer.CommandCallsAsync(redisPort, cancellationToken) : null;
            totals.Add(new TotalsRecord(server.Scenario.Name, server.CallsSent, sink.Traces.Bytes, sink.Traces.Items, sink.Metrics.Bytes,
                sink.Logs.Bytes, sink.Logs.Items, console.Exists ? console.Length : 0, redisCommands));
        }

        return totals;
    }

    private async Task<BurstRecord> BurstAsync(ServerUnderTest server, string tool, int sessions, int round, LoadShape shape, CancellationToken cancellationToken)
    {
        Snapshot? opened = null;
        Snapshot? closed = null;
        var load = await LoadGenerator.RunAsync(
            server.Sessions.Take(sessions).ToList(),
            ToolCall.For(tool, server.Scenario.FailingCallShare),
            shape,
            windowOpened: () => opened = TakeSnapshot(),
            windowClosed: () => closed = TakeSnapshot(),
            cancellationToken);
        server.EnsureAlive();

        var start = opened!;
        var end = closed!;
        var wall = Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds;
        var serverCpu = (end.Servers[server.Scenario.Name] - start.Servers[server.Scenario.Name]).TotalSeconds;
        var allServersCpu = _servers.Sum(s => (end.Servers[s.Scenario.Name] - start.Servers[s.Scenario.Name]).TotalSeconds);
        var allRedisCpu = end.Redis.Sum(r => (r.Value - start.Redis[r.Key]).TotalSeconds);
        var redisCpu = end.Redis.TryGetValue(server.Scenario.Name, out var redisEnd) ? (redisEnd - start.Redis[server.Scenario.Name]).TotalSeconds : 0;
        var clientProcessesCpu = (end.Generator - start.Generator + end.Sink - start.Sink).TotalSeconds + allRedisCpu;
        var serverCore = end.System.Since(start.System, Cores(settings.ServerCpus));
        var clientCore = end.System.Since(start.System, Cores(settings.ClientCpus));

        return new BurstRecord(
            round,
            server.Scenario.Name,
            tool,
            sessions,
            wall,
            load.Calls,
            load.Errors,
            load.FirstError,
            load.CallsPerSecond,
            load.Latency.Percentile(50).TotalMilliseconds,
            load.Latency.Percentile(90).TotalMilliseconds,
            load.Latency.Percentile(99).TotalMilliseconds,
            load.Latency.Max.TotalMilliseconds,
            load.Calls == 0 ? 0 : serverCpu * 1e6 / load.Calls,
            serverCpu / wall,
            (end.Generator - start.Generator).TotalSeconds / wall,
            (end.Sink - start.Sink).TotalSeconds / wall,
            redisCpu / wall,
            Math.Max(0, serverCore.Busy.TotalSeconds - allServersCpu) / wall,
            serverCore.Steal.TotalSeconds / wall,
            Math.Max(0, clientCore.Busy.TotalSeconds - clientProcessesCpu) / wall);
    }

    private Snapshot TakeSnapshot() => new(
        Stopwatch.GetTimestamp(),
        _servers.ToDictionary(s => s.Scenario.Name, s => ProcFs.CpuTime(s.Process.Pid)),
        ProcFs.CpuTime(Environment.ProcessId),
        _sink is null ? TimeSpan.Zero : ProcFs.CpuTime(_sink.Process.Pid),
        _servers.Where(s => s.Redis is not null).ToDictionary(s => s.Scenario.Name, s => ProcFs.CpuTime(s.Redis!.Pid)),
        SystemCpu.Sample());

    private sealed record Snapshot(
        long Timestamp, Dictionary<string, TimeSpan> Servers, TimeSpan Generator, TimeSpan Sink, Dictionary<string, TimeSpan> Redis, SystemCpu System);

    /// <summary>Parses a taskset list such as "0", "1-3" or "0,2".</summary>
    private static IEnumerable<int> Cores(string list) => list.Split(',').SelectMany(part =>
    {
        var bounds = part.Split('-');
        var first = int.Parse(bounds[0], CultureInfo.InvariantCulture);
        var last = int.Parse(bounds[^1], CultureInfo.InvariantCulture);
        return Enumerable.Range(first, last - first + 1);
    });

    private static List<T> Rotate<T>(IReadOnlyList<T> items, int by) =>
        items.Count == 0 ? [] : [.. items.Skip(by % items.Count), .. items.Take(by % items.Count)];

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private void Preflight(BenchmarkPaths paths)
    {
        if (!File.Exists(paths.ServerExecutable))
        {
            throw new InvalidOperationException($"{paths.ServerExecutable} is missing: run 'dotnet build SeedMcp.Server -c Release' (or SeedMcp.Benchmarks/run.sh).");
        }

        if (ColdStartWanted && !File.Exists(paths.PublishedServerExecutable))
        {
            throw new InvalidOperationException($"{paths.PublishedServerExecutable} is missing: run 'dotnet publish SeedMcp.Server -c Release -o {BenchmarkPaths.PublishedServerFolder}' (or SeedMcp.Benchmarks/run.sh), or pass --cold-start 0.");
        }

        if (!File.Exists(paths.NodeExecutable))
        {
            Log("Installing the TypeScript peer (npm ci)...");
            using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"]) { WorkingDirectory = paths.TypeScriptPeerDirectory })
                ?? throw new InvalidOperationException("npm is not installed: 'apt-get install -y nodejs npm'.");
            npm.WaitForExit();
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"'npm ci' in {paths.TypeScriptPeerDirectory} failed with exit code {npm.ExitCode}.");
            }
        }
    }

    private RunInfo RunInfoFor(DateTimeOffset startedAt, TimeSpan duration, BenchmarkPaths paths) => new(
        startedAt,
        duration.TotalSeconds,
        settings.Quick ? "quick" : "full",
        MachineInfo.Commit(paths.RepoRoot),
        MachineInfo.Describe(),
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        MachineInfo.NodeVersion(paths.NodeExecutable),
        settings.OtlpProtocol,
        settings.Pin ? settings.ServerCpus : "any",
        settings.Pin ? settings.ClientCpus : "any",
        settings.Rounds,
        settings.Burst.TotalSeconds,
        settings.BurstWarmup.TotalSeconds,
        settings.Sustained.TotalSeconds,
        settings.VolumeRate,
        settings.VolumeDuration.TotalSeconds,
        command,
        PeerVersions(paths));

    /// <summary>What the peers ran on, read from the installed packages (the lockfile's resolution) and the runtime itself.</summary>
    private static Dictionary<string, string> PeerVersions(BenchmarkPaths paths)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["node (ts-peer)"] = MachineInfo.NodeVersion(paths.NodeExecutable),
            ["ModelContextProtocol.AspNetCore (sdk-min)"] = typeof(ModelContextProtocol.Server.McpServer).Assembly
                .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
                .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "unknown",
        };
        string[] packages =
        [
            "@modelcontextprotocol/sdk", "zod", "express", "@opentelemetry/api", "@opentelemetry/sdk-node", "@opentelemetry/auto-instrumentations-node",
            "@opentelemetry/exporter-trace-otlp-http", "@opentelemetry/sdk-trace", "jose", "ioredis", "rate-limiter-flexible", "prom-client",
        ];
        foreach (var package in packages)
        {
            var manifest = Path.Combine(paths.TypeScriptPeerDirectory, "node_modules", package, "package.json");
            if (File.Exists(manifest))
            {
                using var document = JsonDocument.Parse(File.ReadAllText(manifest));
                versions[package] = document.RootElement.GetProperty("version").GetString() ?? "unknown";
            }
        }

        return versions;
    }

    private void Log(string line) => output.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
}
