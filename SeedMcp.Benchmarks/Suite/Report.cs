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
        AppendPeerVersions(text);
        AppendTargets(text);
        AppendRatios(text, "Server CPU per call vs `off`", b => b.ServerCpuMicrosPerCall, higherIsWorse: true);
        AppendRatios(text, "Calls/s vs `off`", b => b.CallsPerSecond, higherIsWorse: false);
        AppendPeers(text);
        AppendVariants(text);
        AppendColdStartBuilds(text);
        AppendDecomposition(text);
        AppendAbsolute(text);
        AppendVolume(text);
        AppendMemory(text);
        AppendScenarios(text);
        return text.ToString();
    }

    /// <summary>Every target of issue 13, evaluated on this run: verdicts from medians, the spread shown beside them.</summary>
    public IReadOnlyList<TargetResult> Targets()
    {
        var targets = new List<TargetResult>();
        var (tool, sessions) = (ToolCall.Echo, MaxSessions);
        var full = Scenarios.FullName;

        targets.Add(AtLeast("Full stack calls/s ≥ 2× the bare TypeScript SDK (Node 24)", 2,
            PairedRatios(full, Scenarios.TypeScript.Name, tool, sessions, b => b.CallsPerSecond),
            [Absolute(full, b => b.CallsPerSecond, "calls/s"), Absolute(Scenarios.TypeScript.Name, b => b.CallsPerSecond, "calls/s")]));

        targets.Add(AtLeast("Full stack calls/s ≥ 5× the seed's design in TypeScript", 5,
            PairedRatios(full, Scenarios.TypeScriptSeedStack.Name, tool, sessions, b => b.CallsPerSecond),
            [Absolute(full, b => b.CallsPerSecond, "calls/s"), Absolute(Scenarios.TypeScriptSeedStack.Name, b => b.CallsPerSecond, "calls/s")]));

        var p99 = Bursts(full, tool, sessions).Select(b => b.P99Ms).ToList();
        targets.Add(Limit("Full stack p99 latency ≤ 5 ms", "≤ 5 ms", p99, 5, value => $"{value:0.00} ms",
            median => median <= 5 ? $"{5 - median:0.00} ms to spare" : $"{median - 5:0.00} ms over",
            [.. new[] { Scenarios.Off.Name, Scenarios.SdkMinimal.Name, Scenarios.TypeScript.Name, Scenarios.TypeScriptSeedStack.Name }
                .Select(name => Absolute(name, b => b.P99Ms, "p99 ms"))],
            ratioLabel: "`full` p99 ms, per round"));

        targets.Add(AtMost("Full stack CPU per call ≤ 1.35× `off`", 1.35,
            PairedRatios(full, Scenarios.Off.Name, tool, sessions, b => b.ServerCpuMicrosPerCall),
            [Absolute(full, b => b.ServerCpuMicrosPerCall, "CPU µs/call"), Absolute(Scenarios.Off.Name, b => b.ServerCpuMicrosPerCall, "CPU µs/call"),
                Absolute("full-untraced", b => b.ServerCpuMicrosPerCall, "CPU µs/call")]));

        targets.Add(Percent("Tracing at 100 %: CPU per call ≤ +15 % over `off`",
            PairedRatios(Scenarios.Sampled100.Name, Scenarios.Off.Name, tool, sessions, b => b.ServerCpuMicrosPerCall), 15,
            [Absolute(Scenarios.Sampled100.Name, b => b.ServerCpuMicrosPerCall, "CPU µs/call"), Absolute(Scenarios.Off.Name, b => b.ServerCpuMicrosPerCall, "CPU µs/call")]));

        targets.Add(Percent("Tracing at 10 %: CPU per call ≤ +3 % over `off`",
            PairedRatios(Scenarios.Sampled10.Name, Scenarios.Off.Name, tool, sessions, b => b.ServerCpuMicrosPerCall), 3,
            [Absolute(Scenarios.Sampled10.Name, b => b.ServerCpuMicrosPerCall, "CPU µs/call"), Absolute(Scenarios.Sampled0.Name, b => b.ServerCpuMicrosPerCall, "CPU µs/call"),
                Absolute(Scenarios.Off.Name, b => b.ServerCpuMicrosPerCall, "CPU µs/call")]));

        targets.Add(Percent("Tail sampling (trace-tail: 10 % head, failed and slow traces kept): CPU per call ≤ +10 % over `off`",
            PairedRatios(Scenarios.TraceTail.Name, Scenarios.Off.Name, tool, sessions, b => b.ServerCpuMicrosPerCall), 10,
            [Absolute(Scenarios.TraceTail.Name, b => b.ServerCpuMicrosPerCall, "CPU µs/call"),
                Absolute(Scenarios.TraceTailFailing.Name, b => b.ServerCpuMicrosPerCall, "CPU µs/call"),
                Absolute(Scenarios.Sampled10.Name, b => b.ServerCpuMicrosPerCall, "CPU µs/call"),
                Absolute(Scenarios.Sampled100.Name, b => b.ServerCpuMicrosPerCall, "CPU µs/call"),
                Absolute(Scenarios.Off.Name, b => b.ServerCpuMicrosPerCall, "CPU µs/call")]));

        targets.Add(MemoryTarget());
        targets.Add(ColdStartTarget());
        return targets;
    }

    private TargetResult MemoryTarget()
    {
        const string name = "Tracing memory ≤ +10 MiB over `off` (RSS after the sustained run)";
        var off = result.Memory.FirstOrDefault(m => m.Scenario == Baseline);
        var on = result.Memory.FirstOrDefault(m => m.Scenario == Scenarios.Sampled100.Name);
        if (off is null || on is null)
        {
            return NotMeasured(name, "≤ +10 MiB");
        }

        var rows = new List<string[]>();
        foreach (var memory in result.Memory.Where(m => m.Scenario is "off" or "trace-10%" or "trace-100%" or "trace-100%-down" or "trace-tail" or "trace-tail-1%-failing" or "full"))
        {
            rows.Add([$"`{memory.Scenario}`", memory.SustainedSeconds.ToString("0", Invariant), memory.WarmRssMiB.ToString("0.0", Invariant), VersusOff(memory.WarmRssMiB, off.WarmRssMiB),
                memory.RssMiB.ToString("0.0", Invariant), VersusOff(memory.RssMiB, off.RssMiB), memory.PeakRssMiB.ToString("0.0", Invariant), VersusOff(memory.PeakRssMiB, off.PeakRssMiB)]);
        }

        var extra = on.RssMiB - off.RssMiB;
        var table = Table(["Scenario", "sustained s", "warm RSS MiB", "vs off", "RSS after MiB", "vs off", "peak RSS MiB", "vs off"], rows)
            + "\nOne reading per server and run (after the rounds and the sustained run), so no spread over rounds: compare runs for that.\n";
        return new TargetResult(name, "≤ +10 MiB", $"{extra:+0.0;-0.0} MiB (100 %)", "one reading per run; warm and peak in the table", extra <= 10,
            extra <= 10 ? $"{10 - extra:0.0} MiB to spare" : $"{extra - 10:0.0} MiB over", table);
    }

    private TargetResult ColdStartTarget()
    {
        const string name = "Cold start: ≥ 80 % of steady calls/s within the first 10 s of load";
        if (result.ColdStart is not { Seconds.Count: > 0 } cold)
        {
            return NotMeasured(name, "≥ 80 %");
        }

        var summary = ColdStartSummary.Of(cold);
        var warmFull = Bursts(Scenarios.FullName, ToolCall.Echo, cold.Sessions).Select(b => b.CallsPerSecond).ToList();
        var loadSeconds = cold.Seconds[^1].StartSeconds + cold.Seconds[^1].WindowSeconds;
        List<string[]> rows =
        [
            ["process start → healthy", $"{cold.SecondsToHealthy:0.0} s"],
            ["process start → sessions open (load begins)", $"{cold.SecondsToSessions:0.0} s"],
            [$"calls/s over the first {ColdStartSummary.FirstSeconds:0} s of load", $"{summary.First10CallsPerSecond:0} ({summary.First10CpuMicrosPerCall:0} µs CPU/call)"],
            [$"steady calls/s (median second of the last {cold.SteadySeconds:0} s of {loadSeconds:0} s)", $"{summary.SteadyCallsPerSecond:0} ({summary.SteadyCpuMicrosPerCall:0} µs CPU/call)"],
            ["first 10 s ÷ steady", summary.First10Share.ToString("P0", Invariant)],
            ["load time until a 3-s moving average stays ≥ 80 % of steady", summary.SecondsTo80Percent is { } at ? $"{at:0} s" : "not within the run"],
            ["`full` in the rounds (tier-up forced, warmed up), median", warmFull.Count == 0 ? "–" : $"{SuiteRunner.Median(warmFull):0} calls/s"],
            ["first 10 s ÷ `full` in the rounds", warmFull.Count == 0 ? "–" : (summary.First10CallsPerSecond / SuiteRunner.Median(warmFull)).ToString("P0", Invariant)],
            ["cold replica's steady ÷ `full` in the rounds", warmFull.Count == 0 ? "–" : (summary.SteadyCallsPerSecond / SuiteRunner.Median(warmFull)).ToString("P0", Invariant)
                + (warmFull.Count > 0 && summary.SteadyCallsPerSecond < 0.85 * SuiteRunner.Median(warmFull) ? " (below 85 %: the run may have ended before the replica reached its steady state, or the machine was busier then)" : string.Empty)],
            ["errors", cold.Errors == 0 ? "0" : $"{cold.Errors} (first: {cold.FirstError})"],
        ];
        var perSecond = string.Join(", ", cold.Seconds.Take(30).Select(s => s.CallsPerSecond.ToString("0", Invariant)));
        var table = Table([$"Cold start (echo@{cold.Sessions}, the full stack's configuration)", "value"], rows)
            + $"\nCalls/s in each of the first {Math.Min(30, cold.Seconds.Count)} seconds of load: {perSecond}.\n";
        var met = summary.First10Share >= ColdStartSummary.Target;
        var doubtful = warmFull.Count > 0 && summary.SteadyCallsPerSecond < 0.85 * SuiteRunner.Median(warmFull)
            ? "; its steady state is below 85 % of the warmed-up `full`, so the verdict is unreliable"
            : string.Empty;
        return new TargetResult(name, "≥ 80 %", summary.First10Share.ToString("P0", Invariant),
            $"{summary.First10CallsPerSecond:0} of {summary.SteadyCallsPerSecond:0} calls/s; one cold start per run", met,
            (met ? $"{(summary.First10Share - ColdStartSummary.Target) * 100:0} points to spare" : $"{(ColdStartSummary.Target - summary.First10Share) * 100:0} points short") + doubtful,
            table);
    }

    /// <summary>A row of absolute figures for a target's table: one scenario's metric over rounds (echo, most sessions).</summary>
    private string[] Absolute(string scenario, Func<BurstRecord, double> metric, string unit)
    {
        var values = Bursts(scenario, ToolCall.Echo, MaxSessions).Select(metric).ToList();
        return [$"`{scenario}` {unit}", .. SpreadCells(values, v => v.ToString(v >= 100 ? "0" : "0.00", Invariant))];
    }

    private static string[] SpreadCells(List<double> values, Func<double, string> format)
    {
        if (values.Count == 0)
        {
            return ["–", "–", "–", "0"];
        }

        var spread = Spread.Of(values);
        return [format(spread.Median), $"{format(spread.Q1)} – {format(spread.Q3)}", $"{format(spread.Min)} – {format(spread.Max)}", spread.Count.ToString(Invariant)];
    }

    private static string SpreadTable(string label, List<double> values, Func<double, string> format, IEnumerable<string[]> absolute) =>
        Table(["", "median", "IQR", "min – max", "rounds"], [[label, .. SpreadCells(values, format)], .. absolute]);

    private static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|---|" + string.Concat(header.Skip(1).Select(_ => "---:|")));
        foreach (var row in rows)
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        return text.ToString();
    }

    private static TargetResult AtLeast(string name, double limit, List<double> ratios, IEnumerable<string[]> absolute) =>
        Limit(name, $"≥ {limit:0.0#}×", ratios, null, r => $"{r:0.00}×",
            median => median >= limit ? $"{median / limit - 1:P0} above" : $"{1 - median / limit:P0} short ({limit / median:0.00}× to go)",
            absolute, met: median => median >= limit, ratioLabel: "paired ratio (same round)");

    private static TargetResult AtMost(string name, double limit, List<double> ratios, IEnumerable<string[]> absolute) =>
        Limit(name, $"≤ {limit:0.00}×", ratios, limit, r => $"{r:0.00}×",
            median => median <= limit ? $"{limit - median:0.00}× to spare" : $"{median - limit:0.00}× over",
            absolute, ratioLabel: "paired ratio (same round)");

    private static TargetResult Percent(string name, List<double> ratios, double limitPercent, IEnumerable<string[]> absolute)
    {
        var deltas = ratios.Select(r => (r - 1) * 100).ToList();
        return Limit(name, $"≤ {limitPercent:+0;-0;0} %", deltas, limitPercent, d => $"{d:+0.0;-0.0} %",
            median => median <= limitPercent ? $"{limitPercent - median:0.0} points to spare" : $"{median - limitPercent:0.0} points over",
            absolute, ratioLabel: "paired change (same round)");
    }

    /// <summary>A target whose verdict is the median of <paramref name="values"/> against a limit; its table shows the spread.</summary>
    private static TargetResult Limit(
        string name, string limitText, List<double> values, double? atMost, Func<double, string> format, Func<double, string> distance,
        IEnumerable<string[]> absolute, Func<double, bool>? met = null, string ratioLabel = "per round")
    {
        if (values.Count == 0)
        {
            return NotMeasured(name, limitText);
        }

        var spread = Spread.Of(values);
        var passes = met ?? (value => value <= atMost);
        var straddles = passes(spread.Min) != passes(spread.Max) ? " (rounds on both sides of the limit)" : string.Empty;
        return new TargetResult(name, limitText, format(spread.Median),
            $"IQR {format(spread.Q1)} – {format(spread.Q3)}, range {format(spread.Min)} – {format(spread.Max)}, {spread.Count} round{(spread.Count == 1 ? string.Empty : "s")}",
            passes(spread.Median), distance(spread.Median) + straddles, SpreadTable(ratioLabel, values, format, absolute));
    }

    private static TargetResult NotMeasured(string name, string limit) => new(name, limit, "not measured", "–", false, "scenario not run", string.Empty);

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
        var targets = Targets();
        text.AppendLine(Invariant, $"#### Targets (issue 13): echo, {MaxSessions} sessions; verdict from the median over rounds, spread beside it");
        text.AppendLine();
        text.AppendLine("| # | Target | Limit | Median | Spread | Verdict |");
        text.AppendLine("|---:|---|---|---:|---|---|");
        foreach (var (target, index) in targets.Select((t, i) => (t, i + 1)))
        {
            text.AppendLine(Invariant, $"| {index} | {target.Name} | {target.Limit} | {target.Measured} | {target.Spread} | {(target.Met ? "met" : "**missed**")}, {target.Distance} |");
        }

        text.AppendLine();
        foreach (var (target, index) in targets.Select((t, i) => (t, i + 1)))
        {
            if (target.Table.Length == 0)
            {
                continue;
            }

            text.AppendLine(Invariant, $"##### Target {index}: {target.Name}: {(target.Met ? "met" : "missed")} ({target.Measured}; {target.Distance})");
            text.AppendLine();
            text.Append(target.Table);
            text.AppendLine();
        }
    }

    /// <summary>Only the run and the targets: the tables BENCHMARKS.md publishes (<c>SeedMcp.Benchmarks report --results … --targets</c>).</summary>
    public string TargetsMarkdown()
    {
        var text = new StringBuilder();
        AppendRun(text);
        AppendPeerVersions(text);
        AppendTargets(text);
        return text.ToString();
    }

    private void AppendPeerVersions(StringBuilder text)
    {
        if (result.Run.Peers is not { Count: > 0 } peers)
        {
            return;
        }

        text.AppendLine("- Peers: " + string.Join(", ", peers.Select(p => $"{p.Key} {p.Value}")) + ".");
        text.AppendLine();
    }

    private void AppendRatios(StringBuilder text, string title, Func<BurstRecord, double> metric, bool higherIsWorse)
    {
        text.AppendLine(Invariant, $"#### {title} (paired within each round; median [min – max] over rounds)");
        text.AppendLine();
        text.AppendLine("| Scenario | " + string.Join(" | ", _cells.Select(c => c.Cell)) + " |");
        text.AppendLine("|---|" + string.Concat(_cells.Select(_ => "---:|")));
        foreach (var scenario in result.Scenarios.Where(s => s.Name != Baseline && s.Name is not ("ts-sdk" or "ts-seed") && result.Bursts.Any(b => b.Scenario == s.Name)))
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
        string[] peers = [Scenarios.TypeScript.Name, Scenarios.TypeScriptSeedStack.Name, Scenarios.SdkMinimal.Name];
        var present = peers.Where(p => result.Bursts.Any(b => b.Scenario == p)).ToList();
        var echoCells = _cells.Where(c => c.Tool == ToolCall.Echo).ToList();
        if (present.Count == 0)
        {
            return;
        }

        text.AppendLine("#### Against the peers (echo, calls/s paired within each round; median [min–max])");
        text.AppendLine();
        var columns = present.SelectMany(peer => echoCells.Select(cell => (Peer: peer, Cell: cell))).ToList();
        text.AppendLine("| Scenario | " + string.Join(" | ", columns.Select(c => $"× {c.Peer} {c.Cell.Cell}")) + " |");
        text.AppendLine("|---|" + string.Concat(columns.Select(_ => "---:|")));
        foreach (var scenario in result.Scenarios.Where(s => s.Tools.Contains(ToolCall.Echo) && result.Bursts.Any(b => b.Scenario == s.Name)))
        {
            var cells = columns.Select(column =>
            {
                var ratios = column.Peer == scenario.Name ? [] : PairedRatios(scenario.Name, column.Peer, column.Cell.Tool, column.Cell.Sessions, b => b.CallsPerSecond);
                return ratios.Count == 0 ? "–" : $"{SuiteRunner.Median(ratios):0.00}× [{ratios.Min():0.00}–{ratios.Max():0.00}]";
            });
            text.AppendLine($"| {scenario.Name} | " + string.Join(" | ", cells) + " |");
        }

        text.AppendLine();
    }

    private void AppendAbsolute(StringBuilder text)
    {
        text.AppendLine("#### Absolute figures (median over rounds; they swing with machine noise, the ratios above do much less)");
        text.AppendLine();
        text.AppendLine("| Scenario | Cell | calls/s | calls/s min–max | p50 ms | p90 ms | p99 ms | p99 min–max | server CPU µs/call | CPU min–max | server core busy | generator core busy | sink + Redis core | errors |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
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
                    $"| {scenario.Name} | {cell.Cell} | {Median(bursts, b => b.CallsPerSecond):0} | {bursts.Min(b => b.CallsPerSecond):0}–{bursts.Max(b => b.CallsPerSecond):0} | {Median(bursts, b => b.P50Ms):0.000} | {Median(bursts, b => b.P90Ms):0.000} | "
                    + $"{Median(bursts, b => b.P99Ms):0.000} | {bursts.Min(b => b.P99Ms):0.00}–{bursts.Max(b => b.P99Ms):0.00} | {Median(bursts, b => b.ServerCpuMicrosPerCall):0.0} | "
                    + $"{bursts.Min(b => b.ServerCpuMicrosPerCall):0}–{bursts.Max(b => b.ServerCpuMicrosPerCall):0} | {Median(bursts, b => b.ServerUtilisation):P0} | "
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
        foreach (var names in result.Volume.Where(v => v.Scenario is "full" or "trace-100%"))
        {
            var byName = string.Join("; ", names.SpansPerCallByName.OrderByDescending(n => n.Value).Select(n => string.Create(Invariant, $"`{n.Key}` {n.Value:0.00}")));
            text.AppendLine(Invariant, $"Spans per call by name ({names.Scenario}): {byName}.");
            text.AppendLine();
        }

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
            Baseline, Scenarios.Sampled0.Name, Scenarios.Sampled10.Name, Scenarios.TraceTail.Name, Scenarios.TraceTailFailing.Name, Scenarios.Sampled100.Name,
            Scenarios.Telemetry100.Name, Scenarios.RedisSessions.Name,
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

    /// <summary>Each A/B variant against its base, paired within each round: B over A, median, IQR and range.</summary>
    private void AppendVariants(StringBuilder text)
    {
        var variants = result.Scenarios.Where(s => s.VariantOf is not null).ToList();
        if (variants.Count == 0)
        {
            return;
        }

        text.AppendLine("#### A/B variants (variant over its base, paired within each round)");
        text.AppendLine();
        var rows = new List<string[]>();
        foreach (var variant in variants)
        {
            foreach (var cell in _cells.Where(c => Bursts(variant.Name, c.Tool, c.Sessions).Any()))
            {
                (string Name, Func<BurstRecord, double> Metric)[] metrics =
                [
                    ("calls/s", b => b.CallsPerSecond),
                    ("CPU µs/call", b => b.ServerCpuMicrosPerCall),
                    ("p99 ms", b => b.P99Ms),
                ];
                foreach (var (name, metric) in metrics)
                {
                    var ratios = PairedRatios(variant.Name, variant.VariantOf!, cell.Tool, cell.Sessions, metric);
                    var a = Median(Bursts(variant.VariantOf!, cell.Tool, cell.Sessions).ToList(), metric);
                    var b = Median(Bursts(variant.Name, cell.Tool, cell.Sessions).ToList(), metric);
                    rows.Add([$"`{variant.Name}` / `{variant.VariantOf}`", cell.Cell, name, a.ToString("0.##", Invariant), b.ToString("0.##", Invariant),
                        .. SpreadCells(ratios, r => $"{r:0.000}×")]);
                }
            }
        }

        text.Append(Table(["B / A", "cell", "metric", "A median", "B median", "paired ratio median", "IQR", "min – max", "rounds"], rows));
        text.AppendLine();
    }

    /// <summary>Each publish build's cold starts: calls/s over the first 10 s, per turn and median.</summary>
    private void AppendColdStartBuilds(StringBuilder text)
    {
        if (result.ColdStartBuilds is not { Count: > 0 } builds)
        {
            return;
        }

        text.AppendLine("#### Cold start by publish build (in turn, the same configuration)");
        text.AppendLine();
        var warmFull = Bursts(Scenarios.FullName, ToolCall.Echo, builds[0].Record.Sessions).Select(b => b.CallsPerSecond).ToList();
        var rows = builds.GroupBy(b => b.Build).Select(group =>
        {
            var summaries = group.Select(b => ColdStartSummary.Of(b.Record)).ToList();
            var first10 = summaries.Select(s => s.First10CallsPerSecond).ToList();
            return new[]
            {
                $"`{group.Key}`",
                string.Join(", ", group.Select(b => b.Record.SecondsToHealthy.ToString("0.0", Invariant))),
                string.Join(", ", first10.Select(v => v.ToString("0", Invariant))),
                SuiteRunner.Median(first10).ToString("0", Invariant),
                string.Join(", ", summaries.Select(s => s.SteadyCallsPerSecond.ToString("0", Invariant))),
                string.Join(", ", summaries.Select(s => s.First10Share.ToString("P0", Invariant))),
                warmFull.Count == 0 ? "–" : (SuiteRunner.Median(first10) / SuiteRunner.Median(warmFull)).ToString("P0", Invariant),
            };
        });
        text.Append(Table(["build", "s to healthy", "first 10 s calls/s, each turn", "median", "steady calls/s, each turn", "first 10 s ÷ own steady", "median first 10 s ÷ warmed `full`"], rows));
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

    private static string Delta(double ratio) => ((ratio - 1) * 100).ToString("+0.0;-0.0;0.0", Invariant) + " %";

    private static double Median(List<double> values) => SuiteRunner.Median(values);

    private static double Median(List<BurstRecord> bursts, Func<BurstRecord, double> metric) => SuiteRunner.Median(bursts.Select(metric));
}

/// <summary>One target's verdict, with the table that shows its spread and the figures behind it.</summary>
public sealed record TargetResult(string Name, string Limit, string Measured, string Spread, bool Met, string Distance, string Table);

/// <summary>Median, quartiles (linear interpolation) and range of per-round values.</summary>
public readonly record struct Spread(double Median, double Q1, double Q3, double Min, double Max, int Count)
{
    public static Spread Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0
            ? new Spread(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0)
            : new Spread(Quantile(sorted, 0.5), Quantile(sorted, 0.25), Quantile(sorted, 0.75), sorted[0], sorted[^1], sorted.Length);
    }

    private static double Quantile(double[] sorted, double q)
    {
        var position = (sorted.Length - 1) * q;
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }
}

