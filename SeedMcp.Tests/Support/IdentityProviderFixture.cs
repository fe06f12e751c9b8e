namespace SeedMcp.Tests.Support;

/// <summary>
/// The test identity provider shared by the tests of one class (<c>IClassFixture</c>). A class whose tests change its
/// keys or count its requests takes it through <see cref="ResetProvider"/>: xUnit runs one class's tests one after
/// another, so each starts from the provider's first keys and zero counts, whatever the test before it published.
/// </summary>
public sealed class IdentityProviderFixture : IAsyncLifetime
{
    public TestIdentityProvider Provider { get; private set; } = null!;

    /// <summary>The provider, reset (<see cref="TestIdentityProvider.Reset"/>) for a test that rotates keys or counts fetches.</summary>
    public TestIdentityProvider ResetProvider()
    {
        Provider.Reset();
        return Provider;
    }

    public async Task InitializeAsync() => Provider = await TestIdentityProvider.StartAsync();

    public async Task DisposeAsync() => await Provider.DisposeAsync();
}
