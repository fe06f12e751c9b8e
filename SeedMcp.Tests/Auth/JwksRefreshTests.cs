using System.Net;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Auth;

/// <summary>
/// The JWKS cache against a real provider: rotated keys are picked up without a restart, made-up key ids cannot make
/// the server hammer the provider, and an unreachable provider is a 503, not a verdict on the token.
/// </summary>
public sealed class JwksRefreshTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new();
    private TestIdentityProvider _provider = null!;

    public async Task InitializeAsync() => _provider = await TestIdentityProvider.StartAsync();

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_key_rotated_in_after_startup_is_accepted_without_a_restart()
    {
        await using var server = await ServerHost.StartAsync(_provider.ServerSettings());
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, _provider.Mint()));
        Assert.Equal(1, _provider.JwksRequests);

        var rotated = SigningKey.NewRsa("rsa-2");
        _provider.Publish(rotated, _provider.Ec);

        // The first token signed by the new key finds an unknown kid, which refreshes the keys at once (the first
        // refresh is never held back); JwtBearer may answer that one request before the refresh lands.
        var token = _provider.Mint("carol", rotated);
        var status = await StatusAsync(server, token);
        for (var attempt = 0; status != HttpStatusCode.OK && attempt < 50; attempt++)
        {
            await Task.Delay(100);
            status = await StatusAsync(server, token);
        }

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, _provider.JwksRequests);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, _provider.Mint())); // rsa-1 is no longer published
    }

    [Fact]
    public async Task Tokens_with_made_up_key_ids_cause_at_most_one_refresh_per_interval()
    {
        await using var server = await ServerHost.StartAsync(_provider.ServerSettings());
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, _provider.Mint()));

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, _provider.Mint(key: SigningKey.NewEc($"forged-{i}"))));
        }

        // One fetch at startup, one refresh for the first unknown kid; the other 19 fall inside Auth:JwksRefreshInterval (5 min).
        Assert.InRange(_provider.JwksRequests, 1, 2);
    }

    [Fact]
    public async Task An_unreachable_provider_gets_503_with_retry_after_not_a_401()
    {
        var settings = _provider.ServerSettings();
        settings["Auth:Authority"] = $"http://127.0.0.1:{FreePort.Next()}"; // nothing listens there
        await using var server = await ServerHost.StartAsync(settings);

        using var response = await _http.SendAsync(BearerRequests.StatelessToolCall(server.McpEndpoint, _provider.Mint()));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.False(response.Headers.Contains("WWW-Authenticate"));
        var error = (await RawMcp.ReadMessageAsync(response)).GetProperty("error");
        Assert.Equal("Service Unavailable: The authorization server's signing keys cannot be fetched right now; retry shortly.",
            error.GetProperty("message").GetString());
    }

    private async Task<HttpStatusCode> StatusAsync(ServerHost server, string token)
    {
        using var response = await _http.SendAsync(BearerRequests.StatelessToolCall(server.McpEndpoint, token));
        return response.StatusCode;
    }
}
