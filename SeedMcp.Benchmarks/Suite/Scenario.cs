using SeedMcp.Benchmarks.Load;

namespace SeedMcp.Benchmarks.Suite;

/// <summary>Which program a scenario runs.</summary>
public enum ServerKind
{
    /// <summary>SeedMcp.Server's Release build.</summary>
    SeedMcp,

    /// <summary>The minimal ModelContextProtocol.AspNetCore server this tool hosts (<c>sdk-server</c>).</summary>
    SdkMinimal,

    /// <summary>The bare TypeScript SDK server, <c>ts-peer/server.mjs</c>, on the Node 24 the peer's lockfile pins.</summary>
    TypeScript,

    /// <summary>The seed's design in TypeScript, <c>ts-peer/seed-stack.cjs</c> (auth, Redis, rate limit, OpenTelemetry, prom-client).</summary>
    TypeScriptSeedStack,
}

/// <summary>Where a traced server sends OTLP.</summary>
public enum OtlpTarget
{
    None,

    /// <summary>The benchmark's OTLP sink, on a port of this scenario's own (so its volume is counted apart).</summary>
    Sink,

    /// <summary>A loopback port nobody listens on: the collector is down.</summary>
    Unreachable,
}

/// <summary>
/// One server configuration under test. Everything a scenario changes is here, as data: the suite turns it into
/// environment variables (see <see cref="ScenarioEnvironment"/>) and starts one process per scenario.
/// </summary>
public sealed record Scenario
{
    public required string Name { get; init; }

    /// <summary>One line for the report: what is on and how it is configured.</summary>
    public required string Summary { get; init; }

    public ServerKind Kind { get; init; } = ServerKind.SeedMcp;

    /// <summary>Tools this server has; cells for other tools are skipped.</summary>
    public IReadOnlyList<string> Tools { get; init; } = [ToolCall.Echo, ToolCall.SystemStatus];

    /// <summary>Runs only at the suite's largest session count (diagnostics, to save time).</summary>
    public bool MostSessionsOnly { get; init; }

    public bool Tracing { get; init; }

    /// <summary>Head sampling ratio (<c>parentbased_traceidratio</c>); 1 = every trace.</summary>
    public double SamplingRatio { get; init; } = 1;

    public OtlpTarget Otlp { get; init; }

    /// <summary>
    /// Metrics and logs go over OTLP too (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>); otherwise only traces do
    /// (<c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>), so a tracing scenario measures tracing and not a metrics pipeline.
    /// </summary>
    public bool OtlpAllSignals { get; init; }

    /// <summary>Sessions in Redis (each call touches its session there) instead of process memory.</summary>
    public bool Redis { get; init; }

    /// <summary>The server's per-caller and global sliding-window rate limits are on (in Redis when <see cref="Redis"/>).</summary>
    public bool RateLimiting { get; init; }

    /// <summary>Requests carry a bearer token from the benchmark's <see cref="Auth.BenchmarkTokens"/>, which the server validates.</summary>
    public bool Auth { get; init; }

    /// <summary>
    /// Share of tool calls sent to fail (0 to 1): every 1/share-th call is one the tool answers with an <c>isError</c>
    /// result, its tool span ERROR (echo without its argument), not a JSON-RPC caller mistake. The cell stays the tool's.
    /// </summary>
    public double FailingCallShare { get; init; }

    /// <summary>Further server settings (environment variables), e.g. a rate limiter's.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Part of the sustained run whose memory is compared.</summary>
    public bool Sustained { get; init; }

    /// <summary>Part of the fixed-rate run that measures trace volume per minute.</summary>
    public bool VolumeProbe { get; init; }

    /// <summary>A diagnostic variant: reported, never the subject of a target.</summary>
    public bool Diagnostic { get; init; }

    /// <summary>
    /// Started the way users start a replica: the published server (<c>dotnet publish</c> output) with only its own
    /// configuration, none of the benchmark's runtime settings (no <c>DOTNET_TC_CallCountingDelayMs</c>), and no
    /// warm-up. Not part of the rounds: the suite starts it once, after them, and measures its first minute.
    /// </summary>
    public bool ColdStart { get; init; }

    /// <summary>
    /// An A/B variant (<c>suite --variant</c>): this scenario is the named one with further settings, run in the same
    /// rounds so the report pairs the two burst by burst. Never the subject of a target.
    /// </summary>
    public string? VariantOf { get; init; }

    /// <summary>Another build of SeedMcp.Server to run (its output directory), for an A/B of a code change; the suite's own build when null.</summary>
    public string? ServerDirectory { get; init; }
}
