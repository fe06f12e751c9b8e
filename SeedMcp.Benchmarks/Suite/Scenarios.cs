using SeedMcp.Benchmarks.Load;

namespace SeedMcp.Benchmarks.Suite;

/// <summary>The scenarios of the benchmark. Ratios are always taken against <see cref="Off"/> (or, for peers, between servers).</summary>
public static class Scenarios
{
    /// <summary>
    /// Limits far above what one instance serves: the full stack pays for every rate-limit decision (the caller's and a
    /// global shard's sliding windows in Redis, leased per replica in batches: RateLimiting:LeasePermits) without ever
    /// being refused.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> UnreachedRateLimits = new Dictionary<string, string>
    {
        ["RateLimiting__PermitLimit"] = "1000000",
        ["RateLimiting__GlobalPermitLimit"] = "100000000",
        ["RateLimiting__Window"] = "00:00:10",
    };

    public static readonly Scenario Off = new()
    {
        Name = "off",
        Summary = "SeedMcp, tracing off (OTEL_ENABLED=false), in-memory sessions, no auth (AUTH_REQUIRED=false), no rate limits (RateLimiting__Enabled=false); every other scenario starts from this",
        Sustained = true,
    };

    public static readonly Scenario Sampled10 = new()
    {
        Name = "trace-10%",
        Summary = "tracing on, parentbased_traceidratio 0.1, traces over OTLP to the sink (metrics and logs not exported)",
        Tracing = true,
        SamplingRatio = 0.1,
        Otlp = OtlpTarget.Sink,
        Sustained = true,
        VolumeProbe = true,
    };

    public static readonly Scenario Sampled100 = new()
    {
        Name = "trace-100%",
        Summary = "tracing on, every trace sampled, traces over OTLP to the sink (metrics and logs not exported)",
        Tracing = true,
        Otlp = OtlpTarget.Sink,
        Sustained = true,
        VolumeProbe = true,
    };

    /// <summary>In-process tail sampling on top of trace-10%: every trace recorded, the failed and slow ones kept whole.</summary>
    public static readonly IReadOnlyDictionary<string, string> TailSampling = new Dictionary<string, string>
    {
        ["Telemetry__TailSampling__Enabled"] = "true",
    };

    public static readonly Scenario TraceTail = new()
    {
        Name = "trace-tail",
        Summary = "as trace-10%, plus in-process tail sampling (Telemetry__TailSampling__Enabled=true: every trace recorded and held until its request ends; failed and >500 ms traces kept, 10 % of the rest)",
        Tools = [ToolCall.Echo],
        Tracing = true,
        SamplingRatio = 0.1,
        Otlp = OtlpTarget.Sink,
        Settings = TailSampling,
        Sustained = true,
        VolumeProbe = true,
    };

    public static readonly Scenario TraceTailFailing = TraceTail with
    {
        Name = "trace-tail-1%-failing",
        Summary = "as trace-tail, with 1 % of the echo calls failing (no message argument: an isError result, its tool span ERROR), each such trace kept",
        FailingCallShare = 0.01,
    };

    public static readonly Scenario Sampled0 = new()
    {
        Name = "trace-0%",
        Summary = "tracing on, sampling ratio 0 (no span is recorded or exported; instrumentation, metrics and propagation still run)",
        Tools = [ToolCall.Echo],
        MostSessionsOnly = true,
        Tracing = true,
        SamplingRatio = 0,
        Otlp = OtlpTarget.Sink,
        Diagnostic = true,
    };

    public static readonly Scenario Telemetry100 = new()
    {
        Name = "telemetry-100%",
        Summary = "as trace-100%, with metrics and logs over OTLP too (OTEL_EXPORTER_OTLP_ENDPOINT): what the other signals add",
        Tools = [ToolCall.Echo],
        MostSessionsOnly = true,
        Tracing = true,
        Otlp = OtlpTarget.Sink,
        OtlpAllSignals = true,
        Diagnostic = true,
    };

    public static readonly Scenario Sampled100Down = new()
    {
        Name = "trace-100%-down",
        Summary = "as trace-100%, OTLP endpoint a closed port (collector down)",
        Tracing = true,
        Otlp = OtlpTarget.Unreachable,
        Sustained = true,
    };

    /// <summary>What the full stack samples: a production replica's head ratio, and the TypeScript seed stack's.</summary>
    public const double FullSamplingRatio = 0.1;

    /// <summary>
    /// The production shape: auth, Redis sessions and rate limits, tracing at 10 % (parent-based ratio, as a
    /// production replica runs and as the TypeScript seed stack does) with traces, metrics and logs over OTLP.
    /// </summary>
    public static Scenario Full(bool auth, IReadOnlyDictionary<string, string> extraSettings)
    {
        var settings = UnreachedRateLimits.Concat(extraSettings).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        return new()
        {
            Name = FullName,
            Summary = (auth ? "auth on (RS256 JWT checked against the benchmark's JWKS)" : "auth OFF (--no-full-auth)")
                + ", Redis sessions, Redis rate limits (caller + global, never reached), tracing on at 10 % (parentbased_traceidratio 0.1), traces, metrics and logs over OTLP to the sink; "
                + string.Join(", ", settings.Select(s => $"{s.Key}={s.Value}")),
            Tracing = true,
            SamplingRatio = FullSamplingRatio,
            Otlp = OtlpTarget.Sink,
            OtlpAllSignals = true,
            Redis = true,
            RateLimiting = true,
            Auth = auth,
            Settings = settings,
            VolumeProbe = true,
        };
    }

    public const string FullName = "full";

    /// <summary>
    /// The full stack's configuration, started as users start a replica: published output, no benchmark runtime
    /// settings, no warm-up; measured from its first call (see <see cref="Scenario.ColdStart"/>).
    /// </summary>
    public static Scenario ColdStart(bool auth, IReadOnlyDictionary<string, string> extraSettings) => Full(auth, extraSettings) with
    {
        Name = "cold-start",
        Summary = "the full stack's configuration, started from `dotnet publish` output with nothing else (no DOTNET_TC_CallCountingDelayMs, no warm-up); echo@16 from its first call",
        Tools = [ToolCall.Echo],
        VolumeProbe = false,
        ColdStart = true,
    };

    // Diagnostics: the full stack's parts one at a time (echo only, tracing off), to show where its cost comes from.

    public static readonly Scenario RedisSessions = new()
    {
        Name = "redis",
        Summary = "as off, sessions in Redis (touched there at most once per Sessions:TouchInterval per session, from memory in between)",
        Tools = [ToolCall.Echo],
        MostSessionsOnly = true,
        Redis = true,
        Diagnostic = true,
    };

    public static readonly Scenario RedisRateLimits = new()
    {
        Name = "redis+limits",
        Summary = "as redis, plus the Redis rate limits of full (caller + global shard, leased per replica in batches of RateLimiting:LeasePermits, never reached)",
        Tools = [ToolCall.Echo],
        MostSessionsOnly = true,
        Redis = true,
        RateLimiting = true,
        Settings = UnreachedRateLimits,
        Diagnostic = true,
    };

    public static readonly Scenario AuthOnly = new()
    {
        Name = "auth",
        Summary = "as off, auth on (RS256 JWT checked against the benchmark's JWKS), in-memory sessions",
        Tools = [ToolCall.Echo],
        MostSessionsOnly = true,
        Auth = true,
        Diagnostic = true,
    };

    public static Scenario FullUntraced(bool auth, IReadOnlyDictionary<string, string> extraSettings) => Full(auth, extraSettings) with
    {
        Name = "full-untraced",
        Summary = "as full, tracing off",
        Tools = [ToolCall.Echo],
        MostSessionsOnly = true,
        Tracing = false,
        Otlp = OtlpTarget.None,
        VolumeProbe = false,
        Diagnostic = true,
    };

    public static readonly Scenario SdkMinimal = new()
    {
        Name = "sdk-min",
        Summary = "minimal ModelContextProtocol.AspNetCore server (stateful, echo only, logging at Warning), hosted by this tool: the floor",
        Kind = ServerKind.SdkMinimal,
        Tools = [ToolCall.Echo],
    };

    public static readonly Scenario TypeScript = new()
    {
        Name = "ts-sdk",
        Summary = "bare TypeScript SDK server (@modelcontextprotocol/sdk, Express, stateful, echo only) on Node 24 + zod 4 from ts-peer/package-lock.json, ts-peer/server.mjs",
        Kind = ServerKind.TypeScript,
        Tools = [ToolCall.Echo],
    };

    /// <summary>Per caller, far above what one instance serves: paid for on every call, never refused.</summary>
    public static readonly IReadOnlyDictionary<string, string> TypeScriptUnreachedRateLimit = new Dictionary<string, string>
    {
        ["RATE_LIMIT_POINTS"] = "1000000",
        ["RATE_LIMIT_WINDOW_SECONDS"] = "10",
    };

    public static readonly Scenario TypeScriptSeedStack = new()
    {
        Name = "ts-seed",
        Summary = "the seed's design in TypeScript (ts-peer/seed-stack.cjs, Node 24): SDK on Express, NodeSDK with auto-instrumentations (fs off), "
            + "parent-based 10 % ratio sampler, OTLP/HTTP traces to the sink, tool.execute.echo spans (tool.name, user.id, session.id), "
            + "RS256 JWT checked against the benchmark's JWKS (jose) on every request, session touched in Redis on every request (ioredis), "
            + "Redis rate limit per caller (rate-limiter-flexible, 1000000 per 10 s, never reached), prom-client http_request_duration_seconds",
        Kind = ServerKind.TypeScriptSeedStack,
        Tools = [ToolCall.Echo],
        Tracing = true,
        SamplingRatio = FullSamplingRatio,
        Otlp = OtlpTarget.Sink,
        Redis = true,
        RateLimiting = true,
        Auth = true,
        Settings = TypeScriptUnreachedRateLimit,
    };

    /// <summary>The scenarios of the rounds (the cold start is not one of them: see <see cref="ColdStart"/>).</summary>
    public static IReadOnlyList<Scenario> All(bool fullAuth, IReadOnlyDictionary<string, string> fullSettings) =>
    [
        Off, Sampled10, Sampled100, Sampled100Down, TraceTail, TraceTailFailing, Full(fullAuth, fullSettings),
        Sampled0, Telemetry100, RedisSessions, RedisRateLimits, AuthOnly, FullUntraced(fullAuth, fullSettings),
        SdkMinimal, TypeScript, TypeScriptSeedStack,
    ];
}
