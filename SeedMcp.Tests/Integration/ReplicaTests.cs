using System.Diagnostics;
using System.Globalization;
using System.Net;
using SeedMcp.Tests.Support;
using StackExchange.Redis;

namespace SeedMcp.Tests.Integration;

/// <summary>The replica scenarios on the AppHost graph with one Redis it starts (<c>Local</c> mode's redis-server).</summary>
[Collection(ReplicaGraphCollection.Name)]
public sealed class ReplicaTests(ReplicaGraphFixture graph) : ReplicaScenarios(graph);

/// <summary>
/// Any of three replicas serves any session: requests go to the replicas directly, in turn, with no stickiness. The
/// same scenarios run on each Redis deployment a derived class's graph uses (<see cref="ReplicaTests"/>,
/// <see cref="ReplicaClusterGraphTests"/>).
/// </summary>
public abstract class ReplicaScenarios(ReplicaGraphFixture graph)
{
    private const int SessionCount = 3;
    private const int RoundsPerPhase = 2;

    [Fact]
    public async Task Sessions_move_between_replicas_and_survive_losing_one()
    {
        using var http = RawMcp.CreateHttpClient();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(graph.RedisConnectionString);
        var replicas = graph.Replicas;

        // Each session opens on a different replica, and each carries one client trace through all its calls.
        var sessions = new List<(string Id, W3CTraceContext Trace)>();
        for (var i = 0; i < SessionCount; i++)
        {
            sessions.Add((await RawMcp.OpenSessionAsync(http, replicas[i % replicas.Count].McpEndpoint), W3CTraceContext.New()));
        }

        var lastAccessBefore = await LastAccessAsync(redis.GetDatabase(), sessions[0].Id);
        var callsPerReplica = await CallRoundRobinAsync(http, sessions, replicas);
        Assert.All(replicas, replica => Assert.Equal(SessionCount * RoundsPerPhase, callsPerReplica[replica.ResourceId]));
        Assert.True(await LastAccessAsync(redis.GetDatabase(), sessions[0].Id) > lastAccessBefore, "the session's last access in Redis advances");

        var spans = await graph.WaitForTraceAsync(sessions[0].Trace.TraceId, found =>
            found.Where(span => span.Name == "tool.execute.echo").Select(span => span.ServiceInstanceId).Distinct().Count() == replicas.Count);
        Assert.Equal(replicas.Count, spans.Where(span => span.Name == "tool.execute.echo").Select(span => span.ServiceInstanceId).Distinct().Count());

        // Lose a replica: its sessions, and everyone else's, carry on with the two that remain.
        using (var victim = Process.GetProcessById(replicas[0].ProcessId))
        {
            victim.Kill(entireProcessTree: true);
            await victim.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        var survivors = replicas.Where(replica => replica.IsAlive).ToList();
        Assert.Equal(replicas.Count - 1, survivors.Count);
        var afterLoss = await CallRoundRobinAsync(http, sessions, survivors);
        Assert.All(survivors, replica => Assert.Equal(SessionCount * RoundsPerPhase, afterLoss[replica.ResourceId]));
    }

    [Fact]
    public async Task Any_live_replica_serves_a_2026_07_28_client_without_session_state()
    {
        foreach (var replica in graph.Replicas.Where(replica => replica.IsAlive))
        {
            await using var client = await McpTestClient.ConnectAsync(replica.McpEndpoint, McpTestClient.SessionlessProtocolVersion);
            var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = replica.ResourceId });

            Assert.Null(client.SessionId);
            Assert.NotEqual(true, result.IsError);
        }
    }

    /// <summary>For each round, each session calls every replica once; returns successful calls per replica.</summary>
    private static async Task<Dictionary<string, int>> CallRoundRobinAsync(
        HttpClient http, List<(string Id, W3CTraceContext Trace)> sessions, IReadOnlyList<ServerReplica> replicas)
    {
        var calls = replicas.ToDictionary(replica => replica.ResourceId, _ => 0, StringComparer.Ordinal);
        var turn = 0;
        for (var round = 0; round < RoundsPerPhase; round++)
        {
            foreach (var (sessionId, trace) in sessions)
            {
                foreach (var _ in replicas)
                {
                    var replica = replicas[turn++ % replicas.Count];
                    var message = $"{sessionId}@{replica.ResourceId}#{turn}";
                    using var request = RawMcp.Post(replica.McpEndpoint, RawMcp.CallTool("echo", $$"""{"message":"{{message}}"}"""), sessionId, McpTestClient.SessionProtocolVersion);
                    request.Headers.Add("traceparent", (trace with { SpanId = ActivitySpanId.CreateRandom().ToHexString() }).TraceParent);
                    using var response = await http.SendAsync(request);

                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{replica.ResourceId} answered {(int)response.StatusCode} for session {sessionId}");
                    var text = (await RawMcp.ReadMessageAsync(response)).GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString();
                    Assert.Equal(message, text);
                    calls[replica.ResourceId]++;
                }
            }
        }

        return calls;
    }

    private static async Task<long> LastAccessAsync(IDatabase redis, string sessionId) =>
        long.Parse((string?)await redis.HashGetAsync(new SeedMcp.Server.Redis.RedisKeys("seedmcp").Session(sessionId), "lastAccess") ?? "0", CultureInfo.InvariantCulture);
}
