using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Integration;

/// <summary>
/// The replica scenarios again, with the AppHost pointed at an existing Redis Cluster (three masters, three replicas)
/// through <c>ConnectionStrings:cache</c>, as a user with their own cluster would run it: no Redis is started.
/// </summary>
[Collection(ReplicaClusterGraphCollection.Name)]
public sealed class ReplicaClusterGraphTests(ReplicaClusterGraphFixture graph) : ReplicaScenarios(graph);

/// <summary>The three-replica graph on a cluster of its own (the cluster tests kill masters of theirs).</summary>
public sealed class ReplicaClusterGraphFixture : ReplicaGraphFixture
{
    private readonly RedisClusterFixture _cluster = new();

    protected override IEnumerable<string> ExtraArguments => [.. base.ExtraArguments, $"ConnectionStrings:cache={_cluster.ConnectionString}"];

    public override async Task InitializeAsync()
    {
        await _cluster.InitializeAsync();
        await base.InitializeAsync();
        if (RedisConnectionString != _cluster.ConnectionString)
        {
            throw new InvalidOperationException($"The graph's cache is '{RedisConnectionString}', not the cluster '{_cluster.ConnectionString}'.");
        }
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            await _cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ReplicaClusterGraphCollection : ICollectionFixture<ReplicaClusterGraphFixture>
{
    public const string Name = "replica-cluster-graph";
}
