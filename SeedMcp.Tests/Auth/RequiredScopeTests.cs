using System.Net;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Auth;

/// <summary><c>Auth:RequiredScopes</c>: a valid token without the scope is forbidden (403) with the scope named.</summary>
public sealed class RequiredScopeTests(IdentityProviderFixture identity) : IClassFixture<IdentityProviderFixture>, IAsyncLifetime, IDisposable
{
    private const string RequiredScope = "mcp:tools";

    private readonly HttpClient _http = new();
    private readonly TestIdentityProvider _provider = identity.Provider;
    private ServerHost _server = null!;

    public async Task InitializeAsync() => _server = await ServerHost.StartAsync(_provider.ServerSettings(RequiredScope));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_token_without_the_required_scope_gets_403_naming_the_scope()
    {
        using var response = await _http.SendAsync(BearerRequests.StatelessToolCall(_server.McpEndpoint, _provider.Mint(scope: "mcp:read")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        const string description = "The access token lacks the scope(s) mcp:tools; request a token with scope 'mcp:tools'.";
        Assert.Equal(
            $"Bearer error=\"insufficient_scope\", scope=\"mcp:tools\", resource_metadata=\"{TestIdentityProvider.ResourceMetadataUrl}\", error_description=\"{description}\"",
            string.Join(", ", response.Headers.GetValues("WWW-Authenticate")));
        var error = (await RawMcp.ReadMessageAsync(response)).GetProperty("error");
        Assert.Equal("Forbidden: " + description, error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("mcp:tools")]
    [InlineData("openid mcp:tools profile")]
    public async Task A_token_with_the_required_scope_gets_in(string scope)
    {
        using var response = await _http.SendAsync(BearerRequests.StatelessToolCall(_server.McpEndpoint, _provider.Mint(scope: scope)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_401_challenge_and_the_metadata_announce_the_required_scope()
    {
        using var response = await _http.SendAsync(BearerRequests.StatelessToolCall(_server.McpEndpoint, token: null));
        var metadata = System.Text.Json.JsonDocument.Parse(
            await _http.GetStringAsync(new Uri(_server.BaseAddress, ".well-known/oauth-protected-resource/mcp"))).RootElement;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"Bearer resource_metadata=\"{TestIdentityProvider.ResourceMetadataUrl}\", scope=\"mcp:tools\"",
            string.Join(", ", response.Headers.GetValues("WWW-Authenticate")));
        Assert.Equal([RequiredScope], metadata.GetProperty("scopes_supported").EnumerateArray().Select(scope => scope.GetString()));
    }
}
