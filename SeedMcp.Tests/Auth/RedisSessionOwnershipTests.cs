using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Auth;

[Collection(RedisCollection.Name)]
public sealed class RedisSessionOwnershipTests(RedisServerFixture redis) : SessionOwnershipTests
{
    protected override IReadOnlyDictionary<string, string?> SessionStoreSettings() => new Dictionary<string, string?>
    {
        ["ConnectionStrings:cache"] = redis.ConnectionString,
        ["Sessions:KeyPrefix"] = "ownership-" + Guid.NewGuid().ToString("N"),
    };
}
