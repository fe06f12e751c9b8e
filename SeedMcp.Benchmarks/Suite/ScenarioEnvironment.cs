using System.Globalization;
using SeedMcp.Benchmarks.Auth;

namespace SeedMcp.Benchmarks.Suite;

/// <summary>What the suite has running that scenarios point servers at.</summary>
public sealed record SharedInfrastructure(int ClosedPort, string OtlpProtocol, TestIdentityProvider? Issuer);

/// <summary>Turns a <see cref="Scenario"/> into the environment variables its server starts with.</summary>
public static class ScenarioEnvironment
{
    public static Dictionary<string, string> For(Scenario scenario, int port, int? otlpPort, int? redisPort, SharedInfrastructure infrastructure)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if ((scenario.Kind is ServerKind.SeedMcp or ServerKind.SdkMinimal) && !scenario.ColdStart)
        {
            // Reach steady state in seconds rather than a minute: by default the runtime postpones call counting while
            // new methods keep being jitted, so a server saturated on one core runs Tier-0 code for ~60 s. This only
            // moves tier-up earlier; the steady-state code (Tier 1 with dynamic PGO) is the same.
            environment["DOTNET_TC_CallCountingDelayMs"] = "0";
        }

        switch (scenario.Kind)
        {
            case ServerKind.SeedMcp:
                environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
                environment["OTEL_ENABLED"] = scenario.Tracing ? "true" : "false";
                if (scenario.Tracing)
                {
                    var target = scenario.Otlp switch
                    {
                        OtlpTarget.Sink => otlpPort ?? throw new InvalidOperationException($"{scenario.Name} needs an OTLP sink port."),
                        OtlpTarget.Unreachable => infrastructure.ClosedPort,
                        _ => (int?)null,
                    };
                    if (target is { } otlp)
                    {
                        var endpoint = $"http://127.0.0.1:{otlp}";
                        if (scenario.OtlpAllSignals)
                        {
                            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint;
                        }
                        else
                        {
                            // A signal's own endpoint is used as given: OTLP/HTTP needs the signal path spelled out.
                            environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = infrastructure.OtlpProtocol == "grpc" ? endpoint : endpoint + "/v1/traces";
                        }

                        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = infrastructure.OtlpProtocol;
                    }

                    environment["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio";
                    environment["OTEL_TRACES_SAMPLER_ARG"] = scenario.SamplingRatio.ToString(CultureInfo.InvariantCulture);
                }

                // Anonymous callers must be allowed explicitly in Production; the limiter has an explicit off switch.
                if (!scenario.Auth)
                {
                    environment["AUTH_REQUIRED"] = "false";
                }

                if (!scenario.RateLimiting)
                {
                    environment["RateLimiting__Enabled"] = "false";
                }

                if (scenario.Redis)
                {
                    environment["ConnectionStrings__cache"] = $"127.0.0.1:{redisPort ?? throw new InvalidOperationException("Redis is not running.")}";
                }

                if (scenario.Auth)
                {
                    foreach (var (key, value) in AuthWiring.ServerSettings(
                        infrastructure.Issuer ?? throw new InvalidOperationException("The token issuer is not running.")))
                    {
                        environment[key] = value;
                    }
                }

                break;

            case ServerKind.SdkMinimal:
                // SeedMcp.Server is a Web SDK app (server GC, concurrent); this tool's own runtimeconfig says workstation GC.
                environment["DOTNET_gcServer"] = "1";
                environment["DOTNET_gcConcurrent"] = "1";
                break;

            case ServerKind.TypeScript:
                environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
                environment["NODE_ENV"] = "production";
                break;

            case ServerKind.TypeScriptSeedStack:
                // The same token issuer, a Redis of its own and a port of the same sink as the C# full stack; the sink
                // answers OTLP/HTTP on this port whatever the suite's protocol (the JS exporter here is OTLP/HTTP).
                var issuer = infrastructure.Issuer ?? throw new InvalidOperationException("The token issuer is not running.");
                environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
                environment["NODE_ENV"] = "production";
                environment["AUTH_AUTHORITY"] = issuer.Issuer;
                environment["AUTH_AUDIENCE"] = issuer.Audience;
                environment["REDIS_URL"] = $"redis://127.0.0.1:{redisPort ?? throw new InvalidOperationException("Redis is not running.")}";
                environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = $"http://127.0.0.1:{otlpPort ?? throw new InvalidOperationException($"{scenario.Name} needs an OTLP sink port.")}/v1/traces";
                environment["OTEL_TRACES_SAMPLER_ARG"] = scenario.SamplingRatio.ToString(CultureInfo.InvariantCulture);
                // Traces only over OTLP, as the issue specifies; metrics are prom-client's, scraped (here: not scraped).
                environment["OTEL_METRICS_EXPORTER"] = "none";
                environment["OTEL_LOGS_EXPORTER"] = "none";
                break;
        }

        foreach (var (key, value) in scenario.Settings)
        {
            environment[key] = value;
        }

        return environment;
    }
}

/// <summary>
/// How the full-stack scenario turns auth on. One place to change when the server's auth settings change
/// (SeedMcp.Server/Auth): the server must fetch the issuer's discovery document and JWKS over plain HTTP.
/// </summary>
public static class AuthWiring
{
    public static IReadOnlyDictionary<string, string> ServerSettings(TestIdentityProvider issuer) => new Dictionary<string, string>
    {
        ["Auth__Required"] = "true",
        // A loopback authority may serve discovery and keys over http.
        ["Auth__Authority"] = issuer.Issuer,
        ["Auth__Audience"] = issuer.Audience,
    };
}
