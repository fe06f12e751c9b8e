using SeedMcp.Benchmarks.Auth;
using SeedMcp.Benchmarks.Infrastructure;
using SeedMcp.Benchmarks.Otlp;

namespace SeedMcp.Benchmarks.Suite;

/// <summary>
/// Starts one scenario exactly as the suite does (its Redis, the OTLP sink, the token issuer) and keeps it running, so
/// it can be driven with <c>load</c> and profiled (e.g. <c>perf record -g -p PID</c> with <c>--perf-map</c>).
/// </summary>
public static class ScenarioHost
{
    public static async Task<int> RunAsync(Scenario scenario, string otlpProtocol, string? serverCpus, string? clientCpus, bool perfMap, TextWriter output, CancellationToken cancellationToken)
    {
        var paths = BenchmarkPaths.Locate(repoRoot: null);
        var logDirectory = Path.Combine(paths.RepoRoot, "artifacts", "benchmarks", "serve", "logs");
        if (perfMap)
        {
            // perf resolves JIT-compiled frames through /tmp/perf-PID.map; W^X double mapping would hide them.
            scenario = scenario with
            {
                Settings = new Dictionary<string, string>(scenario.Settings) { ["DOTNET_PerfMapEnabled"] = "1", ["DOTNET_EnableWriteXorExecute"] = "0" },
            };
        }

        int? otlpPort = scenario.Tracing && scenario.Otlp == OtlpTarget.Sink ? FreePort.Next() : null;
        await using var sink = otlpPort is { } port
            ? scenario.Kind == ServerKind.TypeScriptSeedStack
                ? await OtlpSinkProcess.StartAsync([], otlpProtocol, clientCpus, Path.Combine(logDirectory, "otlp-sink.log"), cancellationToken, [port])
                : await OtlpSinkProcess.StartAsync([port], otlpProtocol, clientCpus, Path.Combine(logDirectory, "otlp-sink.log"), cancellationToken)
            : null;
        await using var issuer = scenario.Auth ? await BenchmarkTokens.StartIssuerAsync(cancellationToken) : null;
        await using var server = await ServerUnderTest.StartAsync(
            scenario, paths, new SharedInfrastructure(FreePort.Next(), otlpProtocol, issuer), otlpPort, serverCpus, clientCpus, logDirectory, cancellationToken);
        using var http = new HttpClient();
        await server.WaitUntilReadyAsync(http, cancellationToken);

        var token = (issuer is null ? null : BenchmarkTokens.Mint(issuer, TimeSpan.FromHours(8)));
        output.WriteLine($"{scenario.Name}: {scenario.Summary}");
        output.WriteLine($"  endpoint  {server.Endpoint}");
        output.WriteLine($"  pid       {server.Process.Pid}{(server.Redis is { } redis ? $" (redis pid {redis.Pid}, port {server.RedisPort})" : string.Empty)}");
        output.WriteLine($"  log       {server.Process.LogPath}");
        if (token is not null)
        {
            output.WriteLine($"  token     {token}");
        }

        output.WriteLine($"Drive it with: SeedMcp.Benchmarks load --url {server.Endpoint} --sessions 16 --pid {server.Process.Pid}{(token is null ? string.Empty : " --token <token>")}");
        output.WriteLine("Ctrl+C stops it.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }
}
