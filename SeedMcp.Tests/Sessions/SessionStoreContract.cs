using Microsoft.Extensions.Time.Testing;
using SeedMcp.Server.Sessions;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Sessions;

/// <summary>What every <see cref="ISessionStore"/> must do; each store runs these against its real backend.</summary>
public abstract class SessionStoreContract
{
    protected static readonly TimeSpan Ttl = TimeSpan.FromMinutes(30);

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    protected abstract ISessionStore CreateStore(TimeSpan ttl);

    protected static NewSession NewSession(string? userId = null) => new(
        Guid.NewGuid().ToString("N"), userId ?? "alice", "client-x", "1.2.3", "2025-11-25", """{"protocolVersion":"2025-11-25"}""");

    [Fact]
    public async Task Create_then_Get_returns_the_stored_metadata()
    {
        var store = CreateStore(Ttl);
        var session = NewSession();

        var created = await store.CreateAsync(session, CancellationToken.None);
        var read = await store.GetAsync(session.Id, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(session.Id, read.Id);
        Assert.Equal("alice", read.UserId);
        Assert.Equal("client-x", read.ClientName);
        Assert.Equal("1.2.3", read.ClientVersion);
        Assert.Equal("2025-11-25", read.ProtocolVersion);
        Assert.Equal(session.InitializeParams, read.InitializeParams);
        Assert.Equal(Clock.GetUtcNow(), created.CreatedAt);
        Assert.Equal(Clock.GetUtcNow() + Ttl, created.ExpiresAt);
    }

    [Fact]
    public async Task Touch_refreshes_last_access_and_expiry_and_names_the_owner()
    {
        var store = CreateStore(Ttl);
        var session = NewSession("bob");
        await store.CreateAsync(session, CancellationToken.None);

        Clock.Advance(TimeSpan.FromMinutes(5));
        var touch = await store.TouchAsync(session.Id, CancellationToken.None);
        var read = await store.GetAsync(session.Id, CancellationToken.None);

        Assert.True(touch.Found);
        Assert.Equal("bob", touch.OwnerUserId);
        Assert.Equal(Clock.GetUtcNow() + Ttl, touch.ExpiresAt);
        Assert.Equal(Clock.GetUtcNow(), read!.LastAccessAt);
    }

    [Fact]
    public async Task Touch_of_an_unknown_session_finds_nothing_and_creates_nothing()
    {
        var store = CreateStore(Ttl);
        var id = Guid.NewGuid().ToString("N");

        var touch = await store.TouchAsync(id, CancellationToken.None);

        Assert.False(touch.Found);
        Assert.Null(await store.GetAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Remove_deletes_the_session_once()
    {
        var store = CreateStore(Ttl);
        var session = NewSession();
        await store.CreateAsync(session, CancellationToken.None);

        Assert.True(await store.RemoveAsync(session.Id, CancellationToken.None));
        Assert.False(await store.RemoveAsync(session.Id, CancellationToken.None));
        Assert.Null(await store.GetAsync(session.Id, CancellationToken.None));
        Assert.False((await store.TouchAsync(session.Id, CancellationToken.None)).Found);
    }

    [Fact]
    public async Task CountActive_counts_live_sessions_only()
    {
        var store = CreateStore(Ttl);
        var first = NewSession();
        var second = NewSession();
        await store.CreateAsync(first, CancellationToken.None);
        await store.CreateAsync(second, CancellationToken.None);
        Assert.Equal(2, await store.CountActiveAsync(CancellationToken.None));

        await store.RemoveAsync(first.Id, CancellationToken.None);

        Assert.Equal(1, await store.CountActiveAsync(CancellationToken.None));
    }
}
