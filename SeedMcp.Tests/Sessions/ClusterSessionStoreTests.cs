using Microsoft.Extensions.Options;
using SeedMcp.Server.Redis;
using SeedMcp.Server.Sessions;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Sessions;

/// <summary>The session store contract on a real Redis Cluster: no command of the store may cross slots.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class ClusterSessionStoreTests(RedisClusterFixture cluster) : SessionStoreContract
{
    private readonly string _keyPrefix = "contract-" + Guid.NewGuid().ToString("N");

    protected override ISessionStore CreateStore(TimeSpan ttl) =>
        new RedisSessionStore(cluster.Connection, new RedisKeys(_keyPrefix), Options.Create(new McpSessionOptions { Ttl = ttl, KeyPrefix = _keyPrefix }), Clock);
}
