using Microsoft.Extensions.Options;
using SeedMcp.Server.Sessions;

namespace SeedMcp.Tests.Sessions;

public sealed class InMemorySessionStoreTests : SessionStoreContract
{
    protected override ISessionStore CreateStore(TimeSpan ttl) =>
        new InMemorySessionStore(Options.Create(new McpSessionOptions { Ttl = ttl }), Clock);

    [Fact]
    public async Task A_session_not_touched_within_its_ttl_expires()
    {
        var store = CreateStore(TimeSpan.FromMinutes(1));
        var session = NewSession();
        await store.CreateAsync(session, CancellationToken.None);

        Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.True((await store.TouchAsync(session.Id, CancellationToken.None)).Found);
        Clock.Advance(TimeSpan.FromSeconds(61));

        Assert.False((await store.TouchAsync(session.Id, CancellationToken.None)).Found);
        Assert.Equal(0, await store.CountActiveAsync(CancellationToken.None));
    }
}
