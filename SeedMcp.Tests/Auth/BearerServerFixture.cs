using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Auth;

/// <summary>The test identity provider and the real server configured to trust it, shared by one test class.</summary>
public sealed class BearerServerFixture : IAsyncLifetime
{
    public TestIdentityProvider Provider { get; private set; } = null!;

    public ServerHost Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Provider = await TestIdentityProvider.StartAsync();
        Server = await ServerHost.StartAsync(Provider.ServerSettings());
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Provider.DisposeAsync();
    }
}
