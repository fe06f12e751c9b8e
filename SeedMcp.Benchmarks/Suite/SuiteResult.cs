namespace SeedMcp.Benchmarks.Suite;

/// <summary>Everything one run measured; written as results.json next to the report.</summary>
public sealed record SuiteResult(
    RunInfo Run,
    IReadOnlyList<ScenarioInfo> Scenarios,
    IReadOnlyList<BurstRecord> Bursts,
    IReadOnlyList<MemoryRecord> Memory,
    IReadOnlyList<VolumeRecord> Volume,
    IReadOnlyList<TotalsRecord> Totals,
    ColdStartRecord? ColdStart = null,
    IReadOnlyList<ColdStartBuildRecord>? ColdStartBuilds = null);

/// <summary>One cold start of an A/B of publish settings (<c>suite --cold-start-build</c>): which build, which turn.</summary>
public sealed record ColdStartBuildRecord(string Build, string Directory, int Repetition, ColdStartRecord Record);

/// <summary>
/// A replica started as users start one (see <see cref="Scenario.ColdStart"/>): seconds from process start to healthy,
/// then closed-loop echo load in consecutive one-second windows from the first call on.
/// </summary>
public sealed record ColdStartRecord(
    string Scenario,
    int Sessions,
    double SecondsToHealthy,
    double SecondsToSessions,
    double SteadySeconds,
    IReadOnlyList<ColdStartSecond> Seconds,
    long Errors,
    string? FirstError);

/// <summary>One window of the cold start: its start in seconds since load began, calls/s, CPU per call, p99.</summary>
public sealed record ColdStartSecond(double StartSeconds, double WindowSeconds, long Calls, double CallsPerSecond, double ServerCpuMicrosPerCall, double P99Ms);

public sealed record RunInfo(
    DateTimeOffset StartedAt,
    double DurationSeconds,
    string Mode,
    string Commit,
    string Machine,
    string Runtime,
    string Node,
    string OtlpProtocol,
    string ServerCpus,
    string ClientCpus,
    int Rounds,
    double BurstSeconds,
    double BurstWarmupSeconds,
    double SustainedSeconds,
    double VolumeRate,
    double VolumeSeconds,
    string Command,
    IReadOnlyDictionary<string, string>? Peers = null);

public sealed record ScenarioInfo(string Name, string Summary, bool Diagnostic, IReadOnlyList<string> Tools, string? VariantOf = null);

/// <summary>One measured burst. Utilisation is CPU seconds per wall second (1 = one core busy).</summary>
public sealed record BurstRecord(
    int Round,
    string Scenario,
    string Tool,
    int Sessions,
    double WindowSeconds,
    long Calls,
    long Errors,
    string? FirstError,
    double CallsPerSecond,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    double ServerCpuMicrosPerCall,
    double ServerUtilisation,
    double GeneratorUtilisation,
    double SinkUtilisation,
    double RedisUtilisation,
    double ServerCoreForeignLoad,
    double ServerCoreSteal,
    double ClientCoreForeignLoad);

/// <summary>
/// Resident memory once warmed up (before the rounds), after the sustained run, and its peak over the whole run; the
/// "after" figure split into anonymous (GC heap, native), file-backed (assemblies, libraries) and shared (JIT code).
/// </summary>
public sealed record MemoryRecord(
    string Scenario,
    double WarmRssMiB,
    double RssMiB,
    double PeakRssMiB,
    double SustainedSeconds,
    double AnonymousMiB,
    double FileMiB,
    double SharedMiB);

/// <summary>Trace data received by the sink from one server during the fixed-rate run.</summary>
public sealed record VolumeRecord(
    string Scenario,
    double RatePerSecond,
    double Seconds,
    long Calls,
    long TraceBytes,
    long Spans,
    long LogBytes,
    long LogRecords,
    IReadOnlyDictionary<string, double> SpansPerCallByName)
{
    public double TraceMiBPerMinute => TraceBytes / Seconds * 60 / (1024 * 1024);

    public double TraceBytesPerCall => Calls == 0 ? 0 : (double)TraceBytes / Calls;

    public double SpansPerCall => Calls == 0 ? 0 : (double)Spans / Calls;

    public double LogRecordsPerCall => Calls == 0 ? 0 : (double)LogRecords / Calls;
}

/// <summary>A server's whole run: calls sent (warm-ups included) against what reached the sink.</summary>
public sealed record TotalsRecord(
    string Scenario,
    long CallsSent,
    long TraceBytes,
    long Spans,
    long MetricBytes,
    long LogBytes,
    long LogRecords,
    long ConsoleLogBytes,
    IReadOnlyDictionary<string, long>? RedisCommands);
