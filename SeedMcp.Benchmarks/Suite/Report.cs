using System.Globalization;
using System.Text;
using SeedMcp.Benchmarks.Load;

namespace SeedMcp.Benchmarks.Suite;

/// <summary>
/// Turns a run into the tables BENCHMARKS.md publishes: paired ratios (median over rounds, with their range),
/// absolute figures (median over bursts), trace volume, memory, and the issue's targets with their distance.
/// </summary>
public sealed class Report(SuiteResult result)
{
    private const string Baseline = "off";
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// A burst whose calls/s fell below this share of its scenario's median (same cell) ran while the VM was starved:
    /// on these machines the hypervisor sometimes stalls both cores for seconds (no steal time is reported, CPU time
    /// gets charged to whatever was running). Such bursts, and the pairs they belong to, are left out of every figure.
    /// </summary>
    public const double StallThreshold = 0.4;

    /// <summary>A burst during which other processes (builds, tests) used more than this share of the server core is left out too.</summary>
    public const double ForeignLoadThreshold = 0.25;

    private readonly HashSet<BurstRecord> _stalled = FindStalled(result.Bursts);

    private readonly List<(string Cell, int Sessions, string Tool)> _cells =
        [.. result.Bursts.Select(b => (b.Tool, b.Sessions)).Distinct().OrderBy(c => c.Tool, StringComparer.Ordinal).ThenBy(c => c.Sessions)
            .Select(c => ($"{c.Tool}@{c.Sessions}", c.Sessions, c.Tool))];

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        AppendRun(text);
        AppendTargets(text);
        AppendRatios(text, "Server CPU per call vs `off`", b => b.ServerCpuMicrosPerCall, higherIsWorse: true);
        AppendRatios(text, "Calls/s vs `off`", b => b.CallsPerSecond, higherIsWorse: false);
        AppendPeers(text);
        AppendDecomposition(text);
        AppendAbsolute(text);
        AppendVolume(text);
        AppendMemory(text);
        AppendScenarios(text);
        return text.ToString();
    }

    /// <summary>Every target of issue 6, evaluated on this run.</summary>
    public IReadOnlyList<TargetResult> Targets()
    {
        var targets = new List<TargetResult>();
        var echo16 = (Tool: ToolCall.Echo, Sessions: MaxSessions);

        var cpu100 = PairedRatios(Scenarios.Sampled100.Name, Baseline, echo16.Tool, echo16.Sessions, b => b.ServerCpuMicrosPerCall);
        targets.Add(Percent("Tracing at 100 % sampling: CPU per call on echo@16", cpu100, limitPercent: 15));

        var cpu10 = PairedRatios(Scenarios.Sampled10.Name, Baseline, echo16.Tool, echo16.Sessions, b => b.ServerCpuMicrosPerCall);
        targets.Add(Percent("Tracing at 10 % sampling: CPU per call on echo@16", cpu10, limitPercent: 3));

        var down = PairedRatios(Scenarios.Sampled100Down.Name, Scenarios.Sampled100.Name, echo16.Tool, echo16.Sessions, b => b.ServerCpuMicrosPerCall);
        targets.Add(Percent("OTLP endpoint down vs up (100 %): CPU per call on echo@16", down, limitPercent: 0));

        var memoryOff = result.Memory.FirstOrDefault(m => m.Scenario == Baseline);
        var memoryOn = result.Memory.FirstOrDefault(m => m.Scenario == Scenarios.Sampled100.Name);
        if (memoryOff is not null && memoryOn is not null)
        {
            var extra = memoryOn.RssMiB - memoryOff.RssMiB;
            targets.Add(new TargetResult(
                $"Memory, tracing 100 % vs off, RSS after the run ({memoryOn.SustainedSeconds:0} s sustained + rounds)",
                "≤ +10 MiB",
                $"{extra:+0.0;-0.0} MiB (peak {memoryOn.PeakRssMiB - memoryOff.PeakRssMiB:+0.0;-0.0} MiB)",
                extra <= 10,
                extra <= 10 ? $"{10 - extra:0.0} MiB to spare" : $"{extra - 10:0.0} MiB over"));
        }

        var full = "full";
        var peer = Scenarios.TypeScript.Name;
        var throughput = PairedRatios(full, peer, echo16.Tool, echo16.Sessions, b => b.CallsPerSecond);
        if (throughput.Count > 0)
        {
            var median = SuiteRunner.Median(throughput);
            targets.Add(new TargetResult(
                "Full stack vs TypeScript SDK: calls/s on echo@16",
                "≥ 4.0×",
                $"{median:0.00}× [{throughput.Min():0.00}–{throughput.Max():0.00}]",
                median >= 4,
                median >= 4 ? $"{median / 4 - 1:P0} above" : $"{1 - median / 4:P0} short"));
        }

        var fullBursts = Bursts(full, echo16.Tool, echo16.Sessions).ToList();
        if (fullBursts.Count > 0)
        {
            var p99 = SuiteRunner.Median(fullBursts.Select(b => b.P99Ms));
            targets.Add(new TargetResult(
                "Full stack p99 latency on echo@16",
                "≤ 5 ms",
                $"{p99:0.00} ms [{fullBursts.Min(b => b.P99Ms):0.00}–{fullBursts.Max(b => b.P99Ms):0.00}]",
                p99 <= 5,
                p99 <= 5 ? $"{5 - p99:0.00} ms to spare" : $"{p99 - 5:0.00} ms over"));
        }

        return targets;
    }

    private int MaxSessions => result.Bursts.Count == 0 ? 0 : result.Bursts.Max(b => b.Sessions);

    private void AppendRun(StringBuilder text)
    {
        var run = result.Run;
        var foreign = result.Bursts.Select(b => b.ServerCoreForeignLoad).ToList();
        var clientForeign = result.Bursts.Select(b => b.ClientCoreForeignLoad).ToList();
        var steal = result.Bursts.Select(b => b.ServerCoreSteal).ToList();
        var generator = result.Bursts.Select(b => b.GeneratorUtilisation).ToList();
        text.AppendLine(Invariant, $"### Run {run.StartedAt:yyyy-MM-dd HH:mm} UTC ({run.Mode}, {run.DurationSeconds / 60:0.0} min, commit {run.Commit})");
        text.AppendLine();
        text.AppendLine(Invariant, $"- Machine: {run.Machine}; {run.Runtime}; Node {run.Node}.");
        text.AppendLine(Invariant, $"- Servers on CPU {run.ServerCpus}; generator, OTLP sink and Redis on CPU {run.ClientCpus}. OTLP protocol: {run.OtlpProtocol}.");
        text.AppendLine(Invariant, $"- {run.Rounds} rounds; each burst {run.BurstWarmupSeconds:0.##} s warm-up + {run.BurstSeconds:0.##} s measured; "
            + $"sustained run {run.SustainedSeconds:0} s per scenario; trace volume at {run.VolumeRate:0} calls/s for {run.VolumeSeconds:0} s.");
        text.AppendLine(Invariant, $"- Noise: foreign CPU load (other processes) during bursts on the server core median {Median(foreign):P1}, max {foreign.DefaultIfEmpty().Max():P0}, "
            + $"on the client core median {Median(clientForeign):P1}, max {clientForeign.DefaultIfEmpty().Max():P0}; steal median {Median(steal):P1}; "
            + $"generator core busy median {Median(generator):P0}, max {generator.DefaultIfEmpty().Max():P0}.");
        var stalledRounds = _stalled.Count == 0 ? "." : $", in rounds {string.Join(", ", _stalled.Select(b => b.Round).Distinct().Order())}.";
        text.AppendLine(Invariant, $"- Disturbed bursts, left out with their pairs (calls/s below {StallThreshold:P0} of the same scenario and cell's median, "
            + $"or other processes busy on the server core more than {ForeignLoadThreshold:P0} of the time): {_stalled.Count} of {result.Bursts.Count}{stalledRounds}");
        foreach (var cell in _cells.Where(c => c.Tool == ToolCall.Echo))
        {
            var offRuns = result.Bursts.Where(b => b.Scenario == Baseline && b.Tool == cell.Tool && b.Sessions == cell.Sessions).Select(b => b.CallsPerSecond).ToList();
            if (offRuns.Count > 0)
            {
                text.AppendLine(Invariant, $"- `off` {cell.Cell} calls/s across rounds, disturbed bursts included: {string.Join(", ", offRuns.Select(r => r.ToString("0", Invariant)))} (max/min {offRuns.Max() / offRuns.Min():0.00}).");
            }
        }

        var errors = result.Bursts.Where(b => b.Errors > 0).ToList();
        text.AppendLine(errors.Count == 0
            ? "- Errors: none (every response parsed and checked)."
            : $"- Errors: {errors.Sum(b => b.Errors)} in {errors.Count} bursts; first: {errors[0].FirstError}");
        text.AppendLine(Invariant, $"- Command: `{run.Command}`");
        text.AppendLine();
    }

    private void AppendTargets(StringBuilder text)
    {
        text.AppendLine("#### Targets (issue 6)");
        text.AppendLine();
        text.AppendLine("| Target | Limit | Measured (median [range over rounds]) | Verdict |");
        text.AppendLine("|---|---|---|---|");
        foreach (var target in Targets())
        {
            text.AppendLine(Invariant, $"| {target.Name} | {target.Limit} | {target.Measured} | {(target.Met ? "met" : "**missed**")}, {target.Distance} |");
        }

        text.AppendLine();
    }

    private void AppendRatios(StringBuilder text, string title, Func<BurstRecord, double> metric, bool higherIsWorse)
    {
        text.AppendLine(Invariant, $"#### {title} (paired within each round; median [min – max] over rounds)");
        text.AppendLine();
        text.AppendLine("| Scenario | " + string.Join(" | ", _cells.Select(c => c.Cell)) + " |");
        text.AppendLine("|---|" + string.Concat(_cells.Select(_ => "---:|")));
        foreach (var scenario in result.Scenarios.Where(s => s.Name != Baseline && s.Name != Scenarios.TypeScript.Name))
        {
            var cells = _cells.Select(cell =>
            {
                var ratios = PairedRatios(scenario.Name, Baseline, cell.Tool, cell.Sessions, metric);
                return ratios.Count == 0 ? "–" : $"{Delta(SuiteRunner.Median(ratios))} [{Delta(ratios.Min())}, {Delta(ratios.Max())}]";
            });
            text.AppendLine($"| {scenario.Name} | " + string.Join(" | ", cells) + " |");
        }

        text.AppendLine();
        text.AppendLine(higherIsWorse ? "Positive = more CPU per call than `off`." : "Negative = fewer calls/s than `off`.");
        text.AppendLine();
    }

    private void AppendPeers(StringBuilder text)
    {
        var peer = Scenarios.TypeScript.Name;
        var echoCells = _cells.Where(c => c.Tool == ToolCall.Echo).ToList();
        if (!result.Bursts.Any(b => b.Scenario == peer))
        {
            return;
        }

        text.AppendLine("#### Against the TypeScript SDK peer (echo, calls/s paired within each round)");
        text.AppendLine();
        text.AppendLine("| Scenario | " + string.Join(" | ", echoCells.Select(c => $"× ts-sdk {c.Cell}")) + " |");
        text.AppendLine("|---|" + string.Concat(echoCells.Select(_ => "---:|")));
        foreach (var scenario in result.Scenarios.Where(s => s.Name != peer && s.Tools.Contains(ToolCall.Echo)))
        {
            var cells = echoCells.Select(cell =>
            {
                var ratios = PairedRatios(scenario.Name, peer, cell.Tool, cell.Sessions, b => b.CallsPerSecond);
                return ratios.Count == 0 ? "–" : $"{SuiteRunner.Median(ratios):0.0}× [{ratios.Min():0.0}–{ratios.Max():0.0}]";
            });
            text.AppendLine($"| {scenario.Name} | " + string.Join(" | ", cells) + " |");
        }

        text.AppendLine();
    }

    private void AppendAbsolute(StringBuilder text)
    {
        text.AppendLine("#### Absolute figures (median over rounds; they swing with machine noise, the ratios above do much less)");
        text.AppendLine();
        text.AppendLine("| Scenario | Cell | calls/s | p50 ms | p90 ms | p99 ms | server CPU µs/call | server core busy | generator core busy | sink + Redis core | errors |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var cell in _cells)
        {
            foreach (var scenario in result.Scenarios)
            {
                var bursts = Bursts(scenario.Name, cell.Tool, cell.Sessions).ToList();
                if (bursts.Count == 0)
                {
                    continue;
                }

                text.AppendLine(Invariant,
                    $"| {scenario.Name} | {cell.Cell} | {Median(bursts, b => b.CallsPerSecond):0} | {Median(bursts, b => b.P50Ms):0.000} | {Median(bursts, b => b.P90Ms):0.000} | "
                    + $"{Median(bursts, b => b.P99Ms):0.000} | {Median(bursts, b => b.ServerCpuMicrosPerCall):0.0} | {Median(bursts, b => b.ServerUtilisation):P0} | "
                    + $"{Median(bursts, b => b.GeneratorUtilisation):P0} | {Median(bursts, b => b.SinkUtilisation + b.RedisUtilisation):P0} | {bursts.Sum(b => b.Errors)} |");
            }
        }

        text.AppendLine();
    }

    private void AppendVolume(StringBuilder text)
    {
        if (result.Volume.Count == 0)
        {
            return;
        }

        var rate = result.Volume[0].RatePerSecond;
        text.AppendLine(Invariant, $"#### Trace data volume at {rate:0} calls/s (echo, open loop; bytes are OTLP protobuf payload)");
        text.AppendLine();
        text.AppendLine("| Scenario | spans/call | trace bytes/call | trace MiB/min | log records/call | spans/call over the whole run* |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var volume in result.Volume)
        {
            var totals = result.Totals.First(t => t.Scenario == volume.Scenario);
            var wholeRun = totals.CallsSent == 0 ? 0 : (double)totals.Spans / totals.CallsSent;
            text.AppendLine(Invariant,
                $"| {volume.Scenario} | {volume.SpansPerCall:0.00} | {volume.TraceBytesPerCall:0} | {volume.TraceMiBPerMinute:0.00} | {volume.LogRecordsPerCall:0.00} | {wholeRun:0.00} |");
        }

        text.AppendLine();
        text.AppendLine("\\* all calls of the run, mostly closed-loop at saturation; fewer spans per call than at the fixed rate means the exporter's queue dropped spans.");
        text.AppendLine();
        var names = result.Volume.FirstOrDefault(v => v.Scenario == "full") ?? result.Volume[^1];
        var byName = string.Join("; ", names.SpansPerCallByName.OrderByDescending(n => n.Value).Select(n => string.Create(Invariant, $"`{n.Key}` {n.Value:0.00}")));
        text.AppendLine(Invariant, $"Spans per call by name ({names.Scenario}): {byName}.");
        text.AppendLine();
        text.AppendLine("Console log written per call over the whole run: "
            + string.Join("; ", result.Totals.Select(t => string.Create(Invariant, $"{t.Scenario} {(t.CallsSent == 0 ? 0 : (double)t.ConsoleLogBytes / t.CallsSent):0} B"))) + ".");
        text.AppendLine();
    }

    private void AppendMemory(StringBuilder text)
    {
        var off = result.Memory.FirstOrDefault(m => m.Scenario == Baseline);
        text.AppendLine("#### Memory (resident set: warmed up before the rounds, after the sustained run, peak over the whole run)");
        text.AppendLine();
        text.AppendLine("| Scenario | sustained s | warm RSS MiB | vs off | RSS after MiB | vs off | growth | anon / file / shmem after, vs off | peak RSS MiB | vs off |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var memory in result.Memory)
        {
            var parts = $"{VersusOff(memory.AnonymousMiB, off?.AnonymousMiB)} / {VersusOff(memory.FileMiB, off?.FileMiB)} / {VersusOff(memory.SharedMiB, off?.SharedMiB)}";
            text.AppendLine(Invariant,
                $"| {memory.Scenario} | {memory.SustainedSeconds:0} | {memory.WarmRssMiB:0.0} | {VersusOff(memory.WarmRssMiB, off?.WarmRssMiB)} | {memory.RssMiB:0.0} | {VersusOff(memory.RssMiB, off?.RssMiB)} | "
                + $"{memory.RssMiB - memory.WarmRssMiB:+0.0;-0.0;0} | {parts} | {memory.PeakRssMiB:0.0} | {VersusOff(memory.PeakRssMiB, off?.PeakRssMiB)} |");
        }

        text.AppendLine();
    }

    private static string VersusOff(double value, double? off) => off is { } baseline ? (value - baseline).ToString("+0.0;-0.0;0", Invariant) : "–";

    /// <summary>The full stack next to its parts, one at a time, on echo at the most sessions.</summary>
    private void AppendDecomposition(StringBuilder text)
    {
        string[] parts =
        [
            Baseline, Scenarios.Sampled0.Name, Scenarios.Sampled10.Name, Scenarios.Sampled100.Name, Scenarios.Telemetry100.Name, Scenarios.RedisSessions.Name,
            Scenarios.RedisRateLimits.Name, Scenarios.AuthOnly.Name, "full-untraced", "full",
        ];
        var present = parts.Where(p => result.Bursts.Any(b => b.Scenario == p)).ToList();
        if (present.Count <= 2)
        {
            return;
        }

        var sessions = MaxSessions;
        text.AppendLine(Invariant, $"#### Where the CPU goes (echo@{sessions}: each layer alone, then together; CPU/call paired with `off` in each round)");
        text.AppendLine();
        text.AppendLine("| Scenario | server CPU µs/call | vs off | Redis commands/call | Redis CPU µs/call | spans/call (whole run) |");
        text.AppendLine("|---|---:|---:|---|---:|---:|");
        foreach (var name in present)
        {
            var bursts = Bursts(name, ToolCall.Echo, sessions).ToList();
            var ratios = PairedRatios(name, Baseline, ToolCall.Echo, sessions, b => b.ServerCpuMicrosPerCall);
            var totals = result.Totals.FirstOrDefault(t => t.Scenario == name);
            var commands = totals?.RedisCommands is { } redis && totals.CallsSent > 0
                ? string.Join(", ", redis.Where(c => (double)c.Value / totals.CallsSent >= 0.01)
                    .OrderByDescending(c => c.Value).Select(c => string.Create(Invariant, $"{c.Key} {(double)c.Value / totals.CallsSent:0.00}")))
                : "–";
            var redisCpu = bursts.Count > 0 && bursts.Any(b => b.RedisUtilisation > 0)
                ? Median(bursts, b => b.CallsPerSecond > 0 ? b.RedisUtilisation / b.CallsPerSecond * 1e6 : 0).ToString("0.0", Invariant)
                : "–";
            var spans = totals is { CallsSent: > 0 } ? ((double)totals.Spans / totals.CallsSent).ToString("0.00", Invariant) : "–";
            text.AppendLine(Invariant,
                $"| {name} | {Median(bursts, b => b.ServerCpuMicrosPerCall):0.0} | {(name == Baseline || ratios.Count == 0 ? "–" : Delta(SuiteRunner.Median(ratios)))} | {commands} | {redisCpu} | {spans} |");
        }

        text.AppendLine();
    }

    private void AppendScenarios(StringBuilder text)
    {
        text.AppendLine("#### Scenarios");
        text.AppendLine();
        foreach (var scenario in result.Scenarios)
        {
            text.AppendLine(Invariant, $"- `{scenario.Name}`{(scenario.Diagnostic ? " (diagnostic)" : string.Empty)}: {scenario.Summary}.");
        }

        text.AppendLine();
    }

    /// <summary>Per round: the scenario's metric over the reference's, in the same round and cell.</summary>
    public List<double> PairedRatios(string scenario, string reference, string tool, int sessions, Func<BurstRecord, double> metric)
    {
        var ratios = new List<double>();
        foreach (var burst in Bursts(scenario, tool, sessions))
        {
            var pair = Bursts(reference, tool, sessions).FirstOrDefault(b => b.Round == burst.Round);
            if (pair is not null && metric(pair) > 0 && metric(burst) > 0)
            {
                ratios.Add(metric(burst) / metric(pair));
            }
        }

        return ratios;
    }

    /// <summary>The scenario's bursts in one cell, stalled ones left out.</summary>
    private IEnumerable<BurstRecord> Bursts(string scenario, string tool, int sessions) =>
        result.Bursts.Where(b => b.Scenario == scenario && b.Tool == tool && b.Sessions == sessions && !_stalled.Contains(b));

    private static HashSet<BurstRecord> FindStalled(IReadOnlyList<BurstRecord> bursts) =>
    [
        .. bursts.GroupBy(b => (b.Scenario, b.Tool, b.Sessions)).SelectMany(group =>
        {
            var median = SuiteRunner.Median(group.Select(b => b.CallsPerSecond));
            return group.Where(b => b.CallsPerSecond < StallThreshold * median || b.ServerCoreForeignLoad > ForeignLoadThreshold);
        }),
    ];

    private static TargetResult Percent(string name, List<double> ratios, double limitPercent)
    {
        if (ratios.Count == 0)
        {
            return new TargetResult(name, $"≤ {limitPercent:+0;-0;0} %", "not measured", false, "scenario not run");
        }

        var median = (SuiteRunner.Median(ratios) - 1) * 100;
        var low = (ratios.Min() - 1) * 100;
        var high = (ratios.Max() - 1) * 100;
        var met = median <= limitPercent;
        var robust = low > limitPercent || high <= limitPercent ? string.Empty : " (rounds on both sides of the limit)";
        return new TargetResult(
            name,
            $"≤ {limitPercent:+0;-0;0} %",
            $"{median:+0.0;-0.0} % [{low:+0.0;-0.0}, {high:+0.0;-0.0}], {ratios.Count} rounds",
            met,
            (met ? $"{limitPercent - median:0.0} points to spare" : $"{median - limitPercent:0.0} points over") + robust);
    }

    private static string Delta(double ratio) => ((ratio - 1) * 100).ToString("+0.0;-0.0;0.0", Invariant) + " %";

    private static double Median(List<double> values) => SuiteRunner.Median(values);

    private static double Median(List<BurstRecord> bursts, Func<BurstRecord, double> metric) => SuiteRunner.Median(bursts.Select(metric));
}

public sealed record TargetResult(string Name, string Limit, string Measured, bool Met, string Distance);
