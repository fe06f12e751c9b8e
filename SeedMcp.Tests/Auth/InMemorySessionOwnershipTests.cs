using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Auth;

public sealed class InMemorySessionOwnershipTests : SessionOwnershipTests
{
    protected override IReadOnlyDictionary<string, string?> SessionStoreSettings() => new Dictionary<string, string?>();
}
