using System.Globalization;
using SeedMcp.Benchmarks.Infrastructure;
using SeedMcp.Benchmarks.Load;

namespace SeedMcp.Benchmarks.Suite;

/// <summary>
/// One scenario's running server, its own Redis when it uses one (so Redis work per call is counted per scenario),
/// and the sessions the generator holds open to it.
/// </summary>
public sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly List<McpSession> _sessions = [];

    private ServerUnderTest(Scenario scenario, ChildProcess process, int port, int? otlpPort, ChildProcess? redis, int? redisPort)
    {
        Scenario = scenario;
        Process = process;
        Endpoint = new Uri($"http://127.0.0.1:{port}/mcp");
        OtlpPort = otlpPort;
        Redis = redis;
        RedisPort = redisPort;
    }

    public Scenario Scenario { get; }

    public ChildProcess Process { get; }

    public Uri Endpoint { get; }

    /// <summary>The sink port this server exports to, when it exports to the sink.</summary>
    public int? OtlpPort { get; }

    public ChildProcess? Redis { get; }

    public int? RedisPort { get; }

    public IReadOnlyList<McpSession> Sessions => _sessions;

    /// <summary>Every tools/call sent to this server during the run, warm-ups included.</summary>
    public long CallsSent => _sessions.Sum(s => s.CallsSent);

    /// <param name="serverCpus">Where the server runs.</param>
    /// <param name="clientCpus">Where its Redis runs: beside the generator, not on the measured core.</param>
    public static async Task<ServerUnderTest> StartAsync(
        Scenario scenario,
        BenchmarkPaths paths,
        SharedInfrastructure infrastructure,
        int? otlpPort,
        string? serverCpus,
        string? clientCpus,
        string logDirectory,
        CancellationToken cancellationToken)
    {
        var fileName = scenario.Name.Replace('%', 'p');
        ChildProcess? redis = null;
        int? redisPort = null;
        if (scenario.Redis)
        {
            redisPort = FreePort.Next();
            redis = await RedisServer.StartAsync(redisPort.Value, clientCpus, Path.Combine(logDirectory, $"{fileName}.redis.log"), cancellationToken);
        }

        var port = FreePort.Next();
        var environment = ScenarioEnvironment.For(scenario, port, otlpPort, redisPort, infrastructure);
        var logPath = Path.Combine(logDirectory, $"{fileName}.log");
        var process = scenario.Kind switch
        {
            // The content root is the build output, as in a deployment, so the server's appsettings.json applies.
            ServerKind.SeedMcp when scenario.ColdStart =>
                ChildProcess.Start(scenario.Name, serverCpus, paths.PublishedServerExecutable, [], environment, paths.PublishedServerDirectory, logPath),
            ServerKind.SeedMcp when scenario.ServerDirectory is { } build =>
                ChildProcess.Start(scenario.Name, serverCpus, Path.Combine(build, "SeedMcp.Server"), [], environment, build, logPath),
            ServerKind.SeedMcp => ChildProcess.Start(scenario.Name, serverCpus, paths.ServerExecutable, [], environment, paths.ServerDirectory, logPath),
            ServerKind.SdkMinimal => StartSelf(scenario, serverCpus, port, environment, logPath),
            ServerKind.TypeScript => ChildProcess.Start(scenario.Name, serverCpus, paths.NodeExecutable, ["server.mjs"], environment, paths.TypeScriptPeerDirectory, logPath),
            ServerKind.TypeScriptSeedStack =>
                ChildProcess.Start(scenario.Name, serverCpus, paths.NodeExecutable, ["seed-stack.cjs"], environment, paths.TypeScriptPeerDirectory, logPath),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };
        return new ServerUnderTest(scenario, process, port, otlpPort, redis, redisPort);
    }

    public Task WaitUntilReadyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var health = new Uri(Endpoint, "/health");
        return Process.WaitUntilReadyAsync(
            async token =>
            {
                using var response = await http.GetAsync(health, token);
                return response.IsSuccessStatusCode;
            },
            TimeSpan.FromSeconds(90),
            cancellationToken);
    }

    public async Task OpenSessionsAsync(HttpMessageInvoker http, int count, string? bearerToken, CancellationToken cancellationToken)
    {
        while (_sessions.Count < count)
        {
            _sessions.Add(await McpSession.OpenAsync(http, Endpoint, Scenario.Auth ? bearerToken : null, cancellationToken));
        }
    }

    public void EnsureAlive()
    {
        if (Process.HasExited)
        {
            throw new InvalidOperationException($"Server '{Scenario.Name}' has exited. Last lines of {Process.LogPath}:\n{Process.LogTail()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var close = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        if (!Process.HasExited)
        {
            await Task.WhenAll(_sessions.Select(s => s.CloseAsync(close.Token)));
        }

        await Process.DisposeAsync();
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }

    private static ChildProcess StartSelf(Scenario scenario, string? cpus, int port, Dictionary<string, string> environment, string logPath)
    {
        var (fileName, arguments) = Self.Command("sdk-server", "--port", port.ToString(CultureInfo.InvariantCulture));
        return ChildProcess.Start(scenario.Name, cpus, fileName, arguments, environment, AppContext.BaseDirectory, logPath);
    }
}
