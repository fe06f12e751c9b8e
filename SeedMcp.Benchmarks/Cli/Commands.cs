using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SeedMcp.Benchmarks.Infrastructure;
using SeedMcp.Benchmarks.Load;
using SeedMcp.Benchmarks.Measurement;
using SeedMcp.Benchmarks.Otlp;
using SeedMcp.Benchmarks.Peers;
using SeedMcp.Benchmarks.Suite;

namespace SeedMcp.Benchmarks.Cli;

/// <summary>The tool's commands: <c>suite</c> (the benchmark), <c>load</c> (the generator alone), <c>report</c>, and the
/// two it starts itself as child processes, <c>otlp-sink</c> and <c>sdk-server</c>.</summary>
public static class Commands
{
    private const string Usage = """
        SeedMcp.Benchmarks — what tracing costs and how many MCP tool calls one SeedMcp instance serves.

          suite [--quick] [--diagnostics|--no-diagnostics]
                                          The interleaved benchmark (SeedMcp.Benchmarks/run.sh builds and runs it).
                [--rounds N] [--burst S] [--burst-warmup S] [--sustained S]
                [--volume-rate CALLS_PER_S] [--volume-seconds S]
                [--sessions 1,16] [--tools echo,system_status] [--only off,trace-100%,...]
                [--otlp-protocol grpc|http/protobuf] [--server-cpus 0] [--client-cpus 1] [--no-pin]
                [--no-full-auth] [--full-env KEY=VALUE ...] [--cold-start S] [--repo-root DIR] [--out DIR]
                [--variant NAME=BASE:KEY=VALUE[;KEY=VALUE...] ...] [--cold-start-build NAME=PUBLISH_DIR ...]
                [--cold-start-repeats N]
                                          An A/B variant: scenario BASE with further settings, as NAME, in the
                                          same rounds; the report pairs it with BASE burst by burst.
                                          --cold-start-build: cold starts of other publish outputs too, in turn
                                          with the default's, N times each (an A/B of publish settings).
          load --url http://127.0.0.1:5000/mcp
                [--tool echo|system_status] [--sessions N] [--duration S] [--warmup S]
                [--rate CALLS_PER_S] [--pid SERVER_PID] [--token JWT] [--json]
                                          The load generator alone, against any MCP server.
          serve --scenario NAME [--perf-map] [--env KEY=VALUE ...] [--otlp-protocol grpc|http/protobuf] [--no-pin]
                                          Starts one suite scenario (with its Redis, sink, issuer) and keeps it up,
                                          to drive with `load` and profile with perf.
          report --results DIR/results.json [--targets]
                                          Re-renders a run's report.md; --targets prints only the run and the
                                          target tables (what BENCHMARKS.md publishes) and writes nothing.
          otlp-sink --ports P,P --protocol grpc|http/protobuf --stats-port P     (started by suite)
          sdk-server --port P                                                      (started by suite)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        // SIGTERM too: the suite must get to stop the servers it started.
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancellation.Cancel();
        });

        try
        {
            var command = args.Length > 0 ? args[0] : "help";
            return command switch
            {
                "suite" => await SuiteAsync(args, cancellation.Token),
                "load" => await LoadAsync(args, cancellation.Token),
                "report" => await ReportAsync(args),
                "serve" => await ServeAsync(args, cancellation.Token),
                "otlp-sink" => await OtlpSinkAsync(args, cancellation.Token),
                "sdk-server" => await SdkServerAsync(args, cancellation.Token),
                "help" or "--help" or "-h" => Help(0),
                _ => Help(2),
            };
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            return 2;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Cancelled.");
            return 130;
        }
    }

    private static int Help(int exitCode)
    {
        (exitCode == 0 ? Console.Out : Console.Error).WriteLine(Usage);
        return exitCode;
    }

    private static async Task<int> SuiteAsync(string[] args, CancellationToken cancellationToken)
    {
        var line = CommandLine.Parse(args,
            new HashSet<string> { "quick", "no-pin", "no-full-auth", "diagnostics", "no-diagnostics" },
            new HashSet<string>
            {
                "rounds", "burst", "burst-warmup", "sustained", "volume-rate", "volume-seconds", "sessions", "tools", "only",
                "otlp-protocol", "server-cpus", "client-cpus", "full-env", "repo-root", "out", "cold-start", "variant", "cold-start-build", "cold-start-repeats",
            });
        var defaults = line.Flag("quick") ? SuiteSettings.QuickRun : SuiteSettings.Full;
        var settings = defaults with
        {
            Rounds = line.WholeNumber("rounds") ?? defaults.Rounds,
            Burst = line.Seconds("burst") ?? defaults.Burst,
            BurstWarmup = line.Seconds("burst-warmup") ?? defaults.BurstWarmup,
            Sustained = line.Seconds("sustained") ?? defaults.Sustained,
            VolumeRate = line.Number("volume-rate") ?? defaults.VolumeRate,
            VolumeDuration = line.Seconds("volume-seconds") ?? defaults.VolumeDuration,
            SessionCounts = line.List("sessions") is { Count: > 0 } sessions ? [.. sessions.Select(s => int.Parse(s, CultureInfo.InvariantCulture))] : defaults.SessionCounts,
            Tools = line.List("tools") is { Count: > 0 } tools ? tools : defaults.Tools,
            Only = line.List("only"),
            OtlpProtocol = line.Value("otlp-protocol") switch
            {
                null => defaults.OtlpProtocol,
                var protocol when protocol is "grpc" or "http/protobuf" => protocol,
                var other => throw new ArgumentException($"--otlp-protocol must be grpc or http/protobuf, not '{other}'."),
            },
            ServerCpus = line.Value("server-cpus") ?? defaults.ServerCpus,
            ClientCpus = line.Value("client-cpus") ?? defaults.ClientCpus,
            Pin = !line.Flag("no-pin"),
            Diagnostics = line.Flag("diagnostics") || (!line.Flag("no-diagnostics") && defaults.Diagnostics),
            FullAuth = !line.Flag("no-full-auth"),
            FullSettings = line.Values("full-env").Select(ParseSetting).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            RepoRoot = line.Value("repo-root"),
            OutputDirectory = line.Value("out"),
            ColdStart = line.Seconds("cold-start") ?? defaults.ColdStart,
            Variants = [.. line.Values("variant").Select(ScenarioVariant.Parse)],
            ColdStartBuilds = [.. line.Values("cold-start-build").Select(ParseSetting).Select(b => new KeyValuePair<string, string>(b.Key, Path.GetFullPath(b.Value)))],
            ColdStartRepeats = line.WholeNumber("cold-start-repeats") ?? 1,
        };

        // The generator must own its core from the first thread on, so pin the whole process by starting it again
        // under taskset (setting the affinity from inside would leave the runtime's existing threads unpinned).
        if (settings.Pin)
        {
            var allowed = ProcFs.AllowedCpus(Environment.ProcessId);
            if (allowed != settings.ClientCpus)
            {
                if (Environment.ProcessorCount < 2)
                {
                    await Console.Error.WriteLineAsync("Fewer than 2 CPUs: running unpinned; generator and servers share the CPU, so absolute figures mean little.");
                    settings = settings with { Pin = false };
                }
                else
                {
                    var (fileName, arguments) = Self.Command(args);
                    using var pinned = Process.Start(new ProcessStartInfo("taskset", ["-c", settings.ClientCpus, fileName, .. arguments]) { UseShellExecute = false })
                        ?? throw new InvalidOperationException("Could not start taskset (util-linux).");
                    await pinned.WaitForExitAsync(CancellationToken.None);
                    return pinned.ExitCode;
                }
            }
        }

        var runner = new SuiteRunner(settings, string.Join(' ', ["SeedMcp.Benchmarks/run.sh", .. args.Skip(1)]), Console.Out);
        var result = await runner.RunAsync(cancellationToken);
        Console.WriteLine();
        Console.WriteLine(new Report(result).ToMarkdown());
        return 0;
    }

    private static async Task<int> LoadAsync(string[] args, CancellationToken cancellationToken)
    {
        var line = CommandLine.Parse(args,
            new HashSet<string> { "json" },
            new HashSet<string> { "url", "tool", "sessions", "duration", "warmup", "rate", "pid", "token" });
        var endpoint = new Uri(line.Required("url"));
        var call = ToolCall.For(line.Value("tool") ?? ToolCall.Echo);
        var sessionCount = line.WholeNumber("sessions") ?? 1;
        var shape = new LoadShape(line.Seconds("warmup") ?? TimeSpan.FromSeconds(2), line.Seconds("duration") ?? TimeSpan.FromSeconds(10), line.Number("rate"));
        var pid = line.WholeNumber("pid");

        using var http = McpSession.CreateInvoker();
        var sessions = new List<McpSession>();
        for (var i = 0; i < sessionCount; i++)
        {
            sessions.Add(await McpSession.OpenAsync(http, endpoint, line.Value("token"), cancellationToken));
        }

        CpuSample? serverStart = null, serverEnd = null, selfStart = null, selfEnd = null;
        var load = await LoadGenerator.RunAsync(sessions, call, shape,
            windowOpened: () =>
            {
                serverStart = pid is { } p ? CpuSample.Take(p) : null;
                selfStart = CpuSample.Take(Environment.ProcessId);
            },
            windowClosed: () =>
            {
                serverEnd = pid is { } p ? CpuSample.Take(p) : null;
                selfEnd = CpuSample.Take(Environment.ProcessId);
            },
            cancellationToken);
        await Task.WhenAll(sessions.Select(s => s.CloseAsync(cancellationToken)));

        var serverCpu = serverStart is { } s0 && serverEnd is { } s1 ? (s1.Cpu - s0.Cpu).TotalSeconds : (double?)null;
        var memory = pid is { } id ? ProcFs.Memory(id) : (MemoryUsage?)null;
        var summary = new
        {
            endpoint = endpoint.ToString(),
            tool = call.Name,
            sessions = sessionCount,
            mode = shape.RatePerSecond is { } rate ? $"fixed rate {rate:0} calls/s" : "closed loop, one call in flight per session",
            seconds = Math.Round(load.Window.TotalSeconds, 2),
            calls = load.Calls,
            errors = load.Errors,
            firstError = load.FirstError,
            callsPerSecond = Math.Round(load.CallsPerSecond, 1),
            p50Ms = Math.Round(load.Latency.Percentile(50).TotalMilliseconds, 3),
            p90Ms = Math.Round(load.Latency.Percentile(90).TotalMilliseconds, 3),
            p99Ms = Math.Round(load.Latency.Percentile(99).TotalMilliseconds, 3),
            maxMs = Math.Round(load.Latency.Max.TotalMilliseconds, 3),
            serverCpuMicrosPerCall = serverCpu is { } cpu && load.Calls > 0 ? Math.Round(cpu * 1e6 / load.Calls, 1) : (double?)null,
            serverCoreBusy = serverCpu is { } busy ? Math.Round(busy / load.Window.TotalSeconds, 3) : (double?)null,
            serverRssMiB = memory is { } m ? Math.Round(m.RssBytes / 1048576.0, 1) : (double?)null,
            serverPeakRssMiB = memory is { } peak ? Math.Round(peak.PeakRssBytes / 1048576.0, 1) : (double?)null,
            generatorCoreBusy = selfStart is { } g0 && selfEnd is { } g1 ? Math.Round(g1.Utilisation(g0), 3) : (double?)null,
        };

        if (line.Flag("json"))
        {
            Console.WriteLine(JsonSerializer.Serialize(summary, SuiteRunner.JsonOptions));
        }
        else
        {
            Console.WriteLine($"{summary.endpoint} {summary.tool}, {summary.sessions} session(s), {summary.mode}, {summary.seconds} s");
            Console.WriteLine($"  calls/s {summary.callsPerSecond}  calls {summary.calls}  errors {summary.errors}{(summary.firstError is null ? string.Empty : $" (first: {summary.firstError})")}");
            Console.WriteLine($"  latency p50 {summary.p50Ms} ms  p90 {summary.p90Ms} ms  p99 {summary.p99Ms} ms  max {summary.maxMs} ms");
            if (pid is not null)
            {
                Console.WriteLine($"  server CPU {summary.serverCpuMicrosPerCall} µs/call (core busy {summary.serverCoreBusy:P0}), RSS {summary.serverRssMiB} MiB, peak {summary.serverPeakRssMiB} MiB");
            }

            Console.WriteLine($"  generator core busy {summary.generatorCoreBusy:P0}");
        }

        return load.Errors == 0 ? 0 : 1;
    }

    private static async Task<int> ServeAsync(string[] args, CancellationToken cancellationToken)
    {
        var line = CommandLine.Parse(args, new HashSet<string> { "perf-map", "no-pin" }, new HashSet<string> { "scenario", "otlp-protocol", "env" });
        var name = line.Required("scenario");
        var all = Scenarios.All(fullAuth: true, new Dictionary<string, string>()).Append(Scenarios.ColdStart(auth: true, new Dictionary<string, string>())).ToList();
        var scenario = all.FirstOrDefault(s => s.Name == name)
            ?? throw new ArgumentException($"Unknown scenario '{name}'; known: {string.Join(", ", all.Select(s => s.Name))}.");
        if (line.Values("env").Count > 0)
        {
            var settings = new Dictionary<string, string>(scenario.Settings);
            foreach (var (key, value) in line.Values("env").Select(ParseSetting))
            {
                settings[key] = value;
            }

            scenario = scenario with { Settings = settings };
        }

        var pin = !line.Flag("no-pin");
        return await ScenarioHost.RunAsync(scenario, line.Value("otlp-protocol") ?? "grpc", pin ? "0" : null, pin ? "1" : null, line.Flag("perf-map"), Console.Out, cancellationToken);
    }

    private static async Task<int> ReportAsync(string[] args)
    {
        var line = CommandLine.Parse(args, new HashSet<string> { "targets" }, new HashSet<string> { "results" });
        var path = line.Required("results");
        var result = JsonSerializer.Deserialize<SuiteResult>(await File.ReadAllTextAsync(path))
            ?? throw new ArgumentException($"{path} holds no results.");
        if (line.Flag("targets"))
        {
            Console.WriteLine(new Report(result).TargetsMarkdown());
            return 0;
        }

        var report = new Report(result).ToMarkdown();
        await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "report.md"), report);
        Console.WriteLine(report);
        return 0;
    }

    private static async Task<int> OtlpSinkAsync(string[] args, CancellationToken cancellationToken)
    {
        var line = CommandLine.Parse(args, new HashSet<string>(), new HashSet<string> { "ports", "protocol", "http-ports", "stats-port" });
        var ports = line.List("ports").Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList();
        var grpc = line.Required("protocol") switch
        {
            "grpc" => true,
            "http/protobuf" => false,
            var other => throw new ArgumentException($"--protocol must be grpc or http/protobuf, not '{other}'."),
        };
        var httpPorts = line.List("http-ports").Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList();
        return await OtlpSink.RunAsync(ports, grpc, httpPorts, line.WholeNumber("stats-port") ?? throw new ArgumentException("--stats-port is required."), cancellationToken);
    }

    private static async Task<int> SdkServerAsync(string[] args, CancellationToken cancellationToken)
    {
        var line = CommandLine.Parse(args, new HashSet<string>(), new HashSet<string> { "port" });
        return await SdkMinimalServer.RunAsync(line.WholeNumber("port") ?? throw new ArgumentException("--port is required."), cancellationToken);
    }

    private static KeyValuePair<string, string> ParseSetting(string setting)
    {
        var parts = setting.Split('=', 2);
        return parts.Length == 2 && parts[0].Length > 0
            ? new KeyValuePair<string, string>(parts[0], parts[1])
            : throw new ArgumentException($"Settings are KEY=VALUE, not '{setting}'.");
    }
}
