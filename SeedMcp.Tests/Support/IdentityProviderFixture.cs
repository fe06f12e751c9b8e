namespace SeedMcp.Tests.Support;

/// <summary>
/// The test identity provider shared by the tests of one class (<c>IClassFixture</c>). For classes whose tests neither
/// change its keys nor count its requests; those start a provider per test (<c>JwksRefreshTests</c>,
/// <c>TokenValidationCacheTests</c>), since what one test publishes would change what the next one sees.
/// </summary>
public sealed class IdentityProviderFixture : IAsyncLifetime
{
    public TestIdentityProvider Provider { get; private set; } = null!;

    public async Task InitializeAsync() => Provider = await TestIdentityProvider.StartAsync();

    public async Task DisposeAsync() => await Provider.DisposeAsync();
}
