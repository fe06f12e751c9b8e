using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SeedMcp.Server.Sessions;
using SeedMcp.Tests.Auth;
using SeedMcp.Tests.Support;
using Xunit.Abstractions;

namespace SeedMcp.Tests.Integration;

/// <summary>
/// The server on a real Redis Cluster (three masters, three replicas): keys spread over the masters, the limits still
/// decide, replicas share sessions as on one Redis, and every session survives the failover of the busiest master without a 5xx.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class ReplicaClusterTests(RedisClusterFixture cluster, ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const int SessionCount = 30;
    private static readonly TimeSpan RetryBudget = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SlowRequest = TimeSpan.FromMilliseconds(250);

    private readonly HttpClient _http = RawMcp.CreateHttpClient();
    private readonly string _keyPrefix = "cluster-" + Guid.NewGuid().ToString("N");
    private TestIdentityProvider _provider = null!;

    public async Task InitializeAsync() => _provider = await TestIdentityProvider.StartAsync();

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Sessions_and_rate_limit_counters_spread_over_the_masters()
    {
        await using var server = await ServerHost.StartAsync(Settings(anonymous: false));
        var token = _provider.Mint("owner");
        for (var i = 0; i < SessionCount; i++)
        {
            await OpenSessionAsync(server.McpEndpoint, token);
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(server.McpEndpoint, _provider.Mint($"caller-{i}")));
        }

        var sessions = await cluster.KeysPerMasterAsync(_keyPrefix + ":session:");
        var counters = await cluster.KeysPerMasterAsync(_keyPrefix + ":ratelimit:");
        output.WriteLine("session keys per master: " + Describe(sessions));
        output.WriteLine("rate-limit keys per master: " + Describe(counters));

        Assert.Equal(SessionCount, sessions.Values.Sum());
        Assert.True(sessions.Values.Count(count => count > 0) >= 2, "session keys on at least two masters: " + Describe(sessions));
        Assert.True(counters.Values.Count(count => count > 0) >= 2, "rate-limit keys on at least two masters: " + Describe(counters));
        // 21 callers (the session owner too) and the shards of the global limit that took requests.
        Assert.InRange(counters.Values.Sum(), 21 + 2, 21 + 8);
    }

    [Fact]
    public async Task The_caller_limit_and_the_sharded_global_limit_still_decide()
    {
        var settings = Settings(anonymous: false, permitLimit: 3, globalPermitLimit: 20);
        await using var server = await ServerHost.StartAsync(settings);

        var alice = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            alice.Add(await StatusAsync(server.McpEndpoint, _provider.Mint("alice")));
        }

        var accepted = 3;
        for (var i = 0; i < 30; i++)
        {
            if (await StatusAsync(server.McpEndpoint, _provider.Mint($"user-{i}")) == HttpStatusCode.OK)
            {
                accepted++;
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], alice);
        // Eight shards of 20/8 permits, each process taking them in turn: all 20 and not one more.
        Assert.Equal(20, accepted);
    }

    [Fact]
    public async Task Three_replicas_share_sessions_on_the_cluster_and_carry_on_without_one()
    {
        var replicas = new List<ServerHost>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                replicas.Add(await ServerHost.StartAsync(Settings(anonymous: true)));
            }

            var sessions = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                sessions.Add(await RawMcp.OpenSessionAsync(_http, replicas[i].McpEndpoint));
            }

            // Each session calls every replica, so two of three calls meet a replica that must restore it from Redis.
            foreach (var sessionId in sessions)
            {
                foreach (var replica in replicas)
                {
                    Assert.Equal(HttpStatusCode.OK, await EchoAsync(replica.McpEndpoint, sessionId));
                }
            }

            await replicas[0].DisposeAsync();
            replicas.RemoveAt(0);
            foreach (var sessionId in sessions)
            {
                foreach (var replica in replicas)
                {
                    Assert.Equal(HttpStatusCode.OK, await EchoAsync(replica.McpEndpoint, sessionId));
                }
            }
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Every_session_keeps_working_when_the_busiest_master_fails_over()
    {
        var settings = Settings(anonymous: true);
        settings["Sessions:TouchInterval"] = "00:00:00"; // every request touches Redis: no cache hides the failover
        // The store's retry and "ridden out" lines, for the captured logs only (the console stays quiet).
        settings[$"Logging:{typeof(CapturedLogs).FullName}:LogLevel:SeedMcp.Server.Sessions"] = "Debug";
        var logs = new CapturedLogs();
        await using var server = await ServerHost.StartAsync(settings, services => services.AddLogging(logging => logging.AddProvider(logs)));
        var budget = server.Services.GetRequiredService<IOptions<McpSessionOptions>>().Value.StoreRetryBudget;
        var sessions = new List<string>();
        for (var i = 0; i < SessionCount; i++)
        {
            sessions.Add(await RawMcp.OpenSessionAsync(_http, server.McpEndpoint));
        }

        var before = await cluster.KeysPerMasterAsync(_keyPrefix + ":session:");
        var busiest = before.MaxBy(master => master.Value).Key;
        output.WriteLine($"session keys per master before: {Describe(before)}; killing {busiest}; Sessions:StoreRetryBudget {budget}");
        // Sessions opened moments before a master dies can be lost (asynchronous replication): a failure that comes
        // later finds them on the replica. The loss window itself is documented, not tested.
        await cluster.WaitForReplicationAsync(busiest, TimeSpan.FromSeconds(10));
        await cluster.KillAsync(busiest);
        try
        {
            await RideThroughFailoverAsync(server.McpEndpoint, sessions, busiest, logs, budget);
        }
        finally
        {
            // The other tests of this collection share the cluster: give it back whole.
            await cluster.RestartAsync(busiest);
        }
    }

    private async Task RideThroughFailoverAsync(Uri endpoint, IReadOnlyList<string> sessions, string busiest, CapturedLogs logs, TimeSpan budget)
    {
        // Every session, all at once, calls until it has answered three times: sessions on the dead master meet the
        // failover, the others show it does not hold them up. A refusal may be retried by the client; a 5xx must not happen.
        var started = DateTime.UtcNow;
        var calls = (await Task.WhenAll(sessions.Select(id => CallThroughFailoverAsync(endpoint, id)))).SelectMany(session => session).ToList();
        var recovered = DateTime.UtcNow - started;
        var statuses = calls.GroupBy(call => (int)call.Status).ToDictionary(group => group.Key, group => group.Count());
        var refused = calls.Count(call => call.Status != HttpStatusCode.OK);
        var latencies = calls.Select(call => call.Latency).ToList();
        var nodes = await cluster.WaitForPromotionAsync(busiest, TimeSpan.FromSeconds(30));
        var after = await cluster.KeysPerMasterAsync(_keyPrefix + ":session:");
        var slowed = latencies.Count(latency => latency > SlowRequest);
        var ridden = logs.Records.Count(record => record.Contains("was ridden out", StringComparison.Ordinal));
        var retries = logs.Records.Count(record => record.Contains("; retrying in", StringComparison.Ordinal));
        output.WriteLine($"requests during failover: {latencies.Count}; refused: {refused}; statuses: {string.Join(", ", statuses.Select(pair => $"{pair.Key}×{pair.Value}"))}");
        output.WriteLine($"slowed (> {SlowRequest.TotalMilliseconds:0} ms): {slowed}; longest wait: {latencies.Max().TotalSeconds:0.00} s; " +
            $"store operations retried until they succeeded: {ridden} ({retries} retries); all {SessionCount} sessions answered 3 times after {recovered.TotalSeconds:0.0} s");
        foreach (var record in logs.Records.Where(record => record.Contains("was ridden out", StringComparison.Ordinal)).Take(5))
        {
            output.WriteLine("  " + record[..Math.Min(record.Length, 200)]);
        }

        // What the retried commands met, by the first words of the error.
        foreach (var kind in logs.Records.Where(record => record.Contains("; retrying in", StringComparison.Ordinal))
            .Select(record => record.Split("Error=")[^1].Split(';')[0])
            .GroupBy(error => error[..Math.Min(error.Length, 60)]))
        {
            output.WriteLine($"  retried after: {kind.Key} ×{kind.Count()}");
        }

        output.WriteLine($"session keys per master after: {Describe(after)}\n{nodes}");

        // No 5xx at all, and no 404: every session was replicated before the kill, so none may be lost.
        Assert.All(statuses.Keys, status => Assert.True(status < 500 && status != 404, $"status {status} during the failover"));
        Assert.True(latencies.Max() < budget + TimeSpan.FromSeconds(3), $"a request waited {latencies.Max()}, past Sessions:StoreRetryBudget {budget}");
        Assert.Equal(SessionCount, after.Values.Sum()); // the promoted replica holds every session the dead master had
        Assert.DoesNotContain(busiest, after.Keys);
    }

    /// <summary>Calls the session until it has answered three times; every call with its status and how long it took.</summary>
    private async Task<List<(HttpStatusCode Status, TimeSpan Latency)>> CallThroughFailoverAsync(Uri endpoint, string sessionId)
    {
        var calls = new List<(HttpStatusCode Status, TimeSpan Latency)>();
        var deadline = DateTime.UtcNow + RetryBudget;
        while (calls.Count(call => call.Status == HttpStatusCode.OK) < 3)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var status = await EchoAsync(endpoint, sessionId);
            calls.Add((status, watch.Elapsed));
            Assert.True((int)status < 500, $"session {sessionId} got {(int)status} during the failover after {watch.Elapsed.TotalSeconds:0.00} s");
            if (status != HttpStatusCode.OK)
            {
                Assert.True(DateTime.UtcNow < deadline, $"session {sessionId} still refused after {RetryBudget}: {(int)status}");
                await Task.Delay(100);
            }
        }

        return calls;
    }

    private async Task<HttpStatusCode> EchoAsync(Uri endpoint, string sessionId)
    {
        using var request = RawMcp.Post(endpoint, RawMcp.CallTool("echo", """{"message":"hi"}"""), sessionId, McpTestClient.SessionProtocolVersion);
        using var response = await _http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            Assert.NotNull(response.Headers.RetryAfter);
        }

        return response.StatusCode;
    }

    private async Task<string> OpenSessionAsync(Uri endpoint, string token)
    {
        using var response = await _http.SendAsync(BearerRequests.WithToken(RawMcp.Post(endpoint, RawMcp.Initialize()), token));
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues(RawMcp.SessionIdHeader).Single();
    }

    private async Task<HttpStatusCode> StatusAsync(Uri endpoint, string token)
    {
        using var response = await _http.SendAsync(BearerRequests.StatelessToolCall(endpoint, token));
        return response.StatusCode;
    }

    private Dictionary<string, string?> Settings(bool anonymous, int permitLimit = 100_000, int globalPermitLimit = 1_000_000)
    {
        var settings = anonymous ? new Dictionary<string, string?>() : _provider.ServerSettings();
        settings["ConnectionStrings:cache"] = cluster.ConnectionString;
        settings["Sessions:KeyPrefix"] = _keyPrefix;
        settings["RateLimiting:PermitLimit"] = permitLimit.ToString(CultureInfo.InvariantCulture);
        settings["RateLimiting:GlobalPermitLimit"] = globalPermitLimit.ToString(CultureInfo.InvariantCulture);
        // A day: the fixed windows start at UTC midnight, so a test does not straddle two of them.
        settings["RateLimiting:Window"] = "1.00:00:00";
        return settings;
    }

    private static string Describe(IReadOnlyDictionary<string, int> perMaster) =>
        string.Join(", ", perMaster.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"));
}
