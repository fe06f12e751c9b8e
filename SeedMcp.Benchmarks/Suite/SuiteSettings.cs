namespace SeedMcp.Benchmarks.Suite;

/// <summary>How long and how hard the suite runs. <see cref="Full"/> is the published run (~17 min), <see cref="QuickRun"/> ~4 min (run.sh adds ~2 min of install and build).</summary>
public sealed record SuiteSettings
{
    /// <summary>Ten rounds at least for a published run: verdicts come from medians, and the spread needs that many to mean something.</summary>
    public int Rounds { get; init; } = 10;

    /// <summary>The measured part of one burst.</summary>
    public TimeSpan Burst { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Unmeasured load before each burst's window (reconnects, caches warm again after the server idled).</summary>
    public TimeSpan BurstWarmup { get; init; } = TimeSpan.FromSeconds(0.4);

    /// <summary>
    /// Saturating load per server (echo; a third of it for each other tool) before the first round, so the JIT has
    /// tiered up: with call counting undelayed, a SeedMcp server reaches steady state after ~6-9 s of load here.
    /// </summary>
    public TimeSpan ServerWarmup { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>Runs the diagnostic scenarios (each layer of the full stack alone, the SDK baseline).</summary>
    public bool Diagnostics { get; init; } = true;

    /// <summary>Sustained load per <see cref="Scenario.Sustained"/> scenario before memory is compared.</summary>
    public TimeSpan Sustained { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan SustainedChunk { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Limits the sustained run to these scenarios (all <see cref="Scenario.Sustained"/> ones when empty).</summary>
    public IReadOnlyList<string> SustainedOnly { get; init; } = [];

    /// <summary>The "given load" at which trace volume per minute is measured (open loop).</summary>
    public double VolumeRate { get; init; } = 1000;

    public TimeSpan VolumeDuration { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<int> SessionCounts { get; init; } = [1, 16];

    public IReadOnlyList<string> Tools { get; init; } = [Load.ToolCall.Echo, Load.ToolCall.SystemStatus];

    /// <summary>"grpc" or "http/protobuf".</summary>
    public string OtlpProtocol { get; init; } = "grpc";

    public string ServerCpus { get; init; } = "0";

    public string ClientCpus { get; init; } = "1";

    public bool Pin { get; init; } = true;

    public bool Quick { get; init; }

    public string? RepoRoot { get; init; }

    public string? OutputDirectory { get; init; }

    /// <summary>Scenario names to run (all when empty); "off" is always included, every ratio needs it.</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    public bool FullAuth { get; init; } = true;

    public IReadOnlyDictionary<string, string> FullSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>A/B variants: copies of a scenario with further settings, run in the same rounds (see <see cref="ScenarioVariant"/>).</summary>
    public IReadOnlyList<ScenarioVariant> Variants { get; init; } = [];

    /// <summary>
    /// Starts a replica the way users do after the rounds and follows its calls/s (0 = no cold-start scenario). Long
    /// enough for the runtime's default tiering to finish under saturating load (55-80 s measured here), so that the
    /// last part of it is the replica's steady state.
    /// </summary>
    public TimeSpan ColdStart { get; init; } = TimeSpan.FromSeconds(150);

    /// <summary>
    /// A/B of publish settings: further publish directories (name, path) whose cold starts run after the default's,
    /// all of them in turn <see cref="ColdStartRepeats"/> times; the target still reads the first default one.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> ColdStartBuilds { get; init; } = [];

    public int ColdStartRepeats { get; init; } = 1;

    /// <summary>The cold start's "steady" calls/s: the median one-second window over this last part of its run.</summary>
    public TimeSpan ColdStartSteady { get; init; } = TimeSpan.FromSeconds(30);

    public static SuiteSettings Full { get; } = new();

    /// <summary>The scenarios only, three short rounds; the servers still get their full warm-up.</summary>
    public static SuiteSettings QuickRun { get; } = new()
    {
        Quick = true,
        Diagnostics = false,
        Rounds = 3,
        Burst = TimeSpan.FromSeconds(0.6),
        BurstWarmup = TimeSpan.FromSeconds(0.2),
        Sustained = TimeSpan.FromSeconds(5),
        SustainedChunk = TimeSpan.FromSeconds(2.5),
        SustainedOnly = ["off", "trace-100%"],
        VolumeDuration = TimeSpan.FromSeconds(3),
        // Too short for the replica to reach its steady state: the report says so, and compares with warmed-up `full` too.
        ColdStart = TimeSpan.FromSeconds(30),
        ColdStartSteady = TimeSpan.FromSeconds(10),
    };
}
