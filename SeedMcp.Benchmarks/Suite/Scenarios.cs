using SeedMcp.Benchmarks.Load;

namespace SeedMcp.Benchmarks.Suite;

/// <summary>The scenarios of the benchmark. Ratios are always taken against <see cref="Off"/> (or, for peers, between servers).</summary>
public static class Scenarios
{
    /// <summary>
    /// Limits far above what one instance serves: the full stack pays for every rate-limit decision (one Redis script
    /// deciding the caller's and the global sliding window) without ever being refused.
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

    /// <summary>The production shape: auth, Redis sessions and rate limits, tracing at the default (every trace).</summary>
    public static Scenario Full(bool auth, IReadOnlyDictionary<string, string> extraSettings)
    {
        var settings = UnreachedRateLimits.Concat(extraSettings).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        return new()
        {
            Name = "full",
            Summary = (auth ? "auth on (RS256 JWT checked against the benchmark's JWKS)" : "auth OFF (--no-full-auth)")
                + ", Redis sessions, Redis rate limits (caller + global, never reached), tracing on at 100 %, traces, metrics and logs over OTLP to the sink; "
                + string.Join(", ", settings.Select(s => $"{s.Key}={s.Value}")),
            Tracing = true,
            Otlp = OtlpTarget.Sink,
            OtlpAllSignals = true,
            Redis = true,
            RateLimiting = true,
            Auth = auth,
            Settings = settings,
            VolumeProbe = true,
        };
    }

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
        Summary = "as redis, plus the Redis rate limits of full (caller + global in one script call, never reached)",
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
        Summary = "minimal ModelContextProtocol.AspNetCore server (stateful, echo only, logging at Warning), hosted by this tool",
        Kind = ServerKind.SdkMinimal,
        Tools = [ToolCall.Echo],
        Diagnostic = true,
    };

    public static readonly Scenario TypeScript = new()
    {
        Name = "ts-sdk",
        Summary = "minimal TypeScript SDK server (@modelcontextprotocol/sdk, Express, stateful, echo only), ts-peer/server.mjs",
        Kind = ServerKind.TypeScript,
        Tools = [ToolCall.Echo],
    };

    public static IReadOnlyList<Scenario> All(bool fullAuth, IReadOnlyDictionary<string, string> fullSettings) =>
    [
        Off, Sampled10, Sampled100, Sampled100Down, Full(fullAuth, fullSettings),
        Sampled0, Telemetry100, RedisSessions, RedisRateLimits, AuthOnly, FullUntraced(fullAuth, fullSettings),
        SdkMinimal, TypeScript,
    ];
}
