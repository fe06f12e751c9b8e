using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace SeedMcp.Tests.Support;

/// <summary>
/// A real Redis Cluster of three masters and three replicas, made as an operator would: six
/// <c>redis-server --cluster-enabled yes</c> processes (<see cref="RedisProcess.Start"/>) joined by
/// <c>redis-cli --cluster create … --cluster-replicas 1</c>. The cluster bus listens on port + 10000, so every node's
/// port is at most 55535 and both ports are free. A node can be killed (failover) and the fixture waits until the
/// cluster is whole again.
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    public const int Masters = 3;

    private static readonly TimeSpan FormationTimeout = TimeSpan.FromSeconds(90);

    private readonly Dictionary<int, Process> _nodes = [];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "seedmcp-cluster-" + Guid.NewGuid().ToString("N"));

    /// <summary>Two seed endpoints, as <c>ConnectionStrings:cache</c> takes them; the client discovers the rest.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    public IConnectionMultiplexer Connection { get; private set; } = null!;

    public IReadOnlyCollection<int> Ports => _nodes.Keys;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        foreach (var port in FreePort.NextWithClusterBus(Masters * 2))
        {
            _nodes[port] = StartNode(port);
        }

        foreach (var port in _nodes.Keys)
        {
            await (await RedisServerFixture.ConnectAsync(Endpoint(port), TimeSpan.FromSeconds(15))).DisposeAsync();
        }

        await CreateClusterAsync();
        await WaitUntilHealthyAsync(FormationTimeout);
        ConnectionString = string.Join(',', _nodes.Keys.Take(2).Select(Endpoint));
        Connection = await ConnectionMultiplexer.ConnectAsync(ConnectionString);
    }

    /// <summary>
    /// The masters, each with the number of keys it holds that start with <paramref name="keyPrefix"/>. The masters
    /// come from the cluster itself (<c>CLUSTER NODES</c>) and the keys from each master (<c>redis-cli --scan</c>):
    /// after a failover a client's own view can lag behind the promotion for longer than a test waits.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> KeysPerMasterAsync(string keyPrefix)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var port in await MasterPortsAsync(TimeSpan.FromSeconds(30)))
        {
            var keys = await RedisCliAsync(["-p", port.ToString(CultureInfo.InvariantCulture), "--scan", "--pattern", keyPrefix + "*"],
                TimeSpan.FromSeconds(30));
            counts[Endpoint(port)] = keys.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length;
        }

        return counts;
    }

    /// <summary>
    /// Waits until the master at <paramref name="endpoint"/> has its writes acknowledged by its replica (<c>WAIT 1</c>):
    /// replication is asynchronous, so a write the master took moments before dying may never reach the replica.
    /// </summary>
    public async Task WaitForReplicationAsync(string endpoint, TimeSpan timeout)
    {
        var server = Connection.GetServer(endpoint);
        var acknowledged = (long)await server.ExecuteAsync("WAIT", 1, (long)timeout.TotalMilliseconds);
        if (acknowledged < 1)
        {
            throw new TimeoutException($"The replica of {endpoint} did not acknowledge its master's writes within {timeout}.");
        }
    }

    /// <summary>
    /// Starts the node at <paramref name="endpoint"/> again after <see cref="KillAsync"/>: it rejoins from its
    /// <c>nodes.conf</c> as a replica of the master that took over, so the tests after a failover meet a whole cluster.
    /// </summary>
    public async Task RestartAsync(string endpoint)
    {
        var port = PortOf(endpoint);
        _nodes[port].Dispose();
        _nodes[port] = StartNode(port);
        await WaitUntilHealthyAsync(FormationTimeout);
        // A fresh client for the tests that follow: the old one may still hold the dead master's view.
        await Connection.DisposeAsync();
        Connection = await ConnectionMultiplexer.ConnectAsync(ConnectionString);
    }

    /// <summary>Kills the node at <paramref name="endpoint"/> (SIGKILL: no goodbye to the cluster).</summary>
    public async Task KillAsync(string endpoint)
    {
        var node = _nodes[PortOf(endpoint)];
        node.Kill();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Waits until a surviving node reports every slot served (<c>cluster_state:ok</c>) and <paramref name="endpoint"/> no master.</summary>
    public async Task<string> WaitForPromotionAsync(string endpoint, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var survivor = _nodes.Keys.First(port => !endpoint.EndsWith(":" + port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            last = await RedisCliAsync(["-p", survivor.ToString(CultureInfo.InvariantCulture), "cluster", "nodes"], TimeSpan.FromSeconds(10));
            var info = await RedisCliAsync(["-p", survivor.ToString(CultureInfo.InvariantCulture), "cluster", "info"], TimeSpan.FromSeconds(10));
            var masters = last.Split('\n').Where(line => line.Contains("master", StringComparison.Ordinal) && !line.Contains("fail", StringComparison.Ordinal)).ToList();
            if (info.Contains("cluster_state:ok", StringComparison.Ordinal) && masters.Count == Masters
                && masters.All(line => !line.Contains(endpoint + "@", StringComparison.Ordinal)))
            {
                return last;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"No replica took over from {endpoint} within {timeout}. CLUSTER NODES:\n{last}");
    }

    public async Task DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }

        foreach (var node in _nodes.Values)
        {
            if (!node.HasExited)
            {
                node.Kill();
                await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }

            node.Dispose();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static int PortOf(string endpoint) => int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

    private Process StartNode(int port) => RedisProcess.Start(port, appendOnlyDirectory: null,
        "--cluster-enabled", "yes",
        "--cluster-config-file", Path.Combine(_directory, $"nodes-{port}.conf"),
        "--cluster-node-timeout", "1500",
        // Replicas sync at once (the default waits 5 s for more replicas): a replica that never synced cannot take over.
        "--repl-diskless-sync-delay", "0",
        "--dir", _directory);

    /// <summary>The ports of the masters a live node reports, once it reports <see cref="Masters"/> of them none failing.</summary>
    private async Task<IReadOnlyList<int>> MasterPortsAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var survivor = _nodes.First(node => !node.Value.HasExited).Key;
            var nodes = await RedisCliAsync(["-p", survivor.ToString(CultureInfo.InvariantCulture), "cluster", "nodes"], TimeSpan.FromSeconds(10));
            // Each line: <id> <ip:port@bus> <flags> …; a master that died carries "fail" in its flags.
            var masters = nodes.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' '))
                .Where(fields => fields.Length > 2 && fields[2].Contains("master", StringComparison.Ordinal) && !fields[2].Contains("fail", StringComparison.Ordinal))
                .Select(fields => PortOf(fields[1].Split('@')[0]))
                .ToList();
            if (masters.Count == Masters)
            {
                return masters;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"The cluster reported {masters.Count} live masters, not {Masters}, within {timeout}:\n{nodes}");
            }

            await Task.Delay(200);
        }
    }

    private static string Endpoint(int port) => $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";

    private async Task CreateClusterAsync()
    {
        var output = await RedisCliAsync(
            ["--cluster", "create", .. _nodes.Keys.Select(Endpoint), "--cluster-replicas", "1", "--cluster-yes"], FormationTimeout);
        if (!output.Contains("All 16384 slots covered", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("redis-cli --cluster create did not cover every slot:\n" + output);
        }
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var port in _nodes.Keys)
        {
            while (!(await RedisCliAsync(["-p", port.ToString(CultureInfo.InvariantCulture), "cluster", "info"], TimeSpan.FromSeconds(10)))
                .Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new TimeoutException($"The cluster node on port {port} did not report cluster_state:ok within {timeout}.");
                }

                await Task.Delay(200);
            }
        }

        // A replica takes over only once it has synced with its master (else: "Disconnected from master for longer than allowed").
        foreach (var port in _nodes.Keys)
        {
            while (await RedisCliAsync(["-p", port.ToString(CultureInfo.InvariantCulture), "info", "replication"], TimeSpan.FromSeconds(10)) is var info
                && info.Contains("role:slave", StringComparison.Ordinal) && !info.Contains("master_link_status:up", StringComparison.Ordinal))
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new TimeoutException($"The replica on port {port} did not sync with its master within {timeout}:\n{info}");
                }

                await Task.Delay(200);
            }
        }
    }

    private static async Task<string> RedisCliAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo("redis-cli", ["-h", "127.0.0.1", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("redis-cli did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill();
            throw new TimeoutException($"redis-cli {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        return await stdout + await stderr;
    }
}

[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "redis-cluster";
}
