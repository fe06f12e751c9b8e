using System.Net;
using SeedMcp.Tests.Support;
using Xunit.Abstractions;

namespace SeedMcp.Tests.Auth;

/// <summary>
/// The JWKS cache against a real provider: rotated keys are picked up without a restart, made-up key ids cannot make
/// the server hammer the provider, and an unreachable provider is a 503, not a verdict on the token.
/// </summary>
public sealed class JwksRefreshTests(IdentityProviderFixture identity, ITestOutputHelper output) : IClassFixture<IdentityProviderFixture>, IDisposable
{
    private readonly HttpClient _http = new();
    private readonly TestIdentityProvider _provider = identity.ResetProvider(); // these tests rotate keys and count fetches

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task The_first_request_signed_by_a_key_rotated_in_after_startup_succeeds()
    {
        await using var server = await ServerHost.StartAsync(_provider.ServerSettings());
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, _provider.Mint()));
        Assert.Equal(1, _provider.JwksRequests);

        // Abrupt rotation: the new key is in use and the old one is no longer published, in one step.
        var rotated = SigningKey.NewRsa("rsa-2");
        _provider.Publish(rotated, _provider.Ec);

        // The unknown kid makes the server fetch the keys, wait for them and validate the same request again.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, _provider.Mint("carol", rotated)));
        Assert.Equal(2, _provider.JwksRequests);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, _provider.Mint())); // rsa-1 is retired
        Assert.Equal(2, _provider.JwksRequests); // a retired kid inside the interval fetches nothing more
    }

    [Fact]
    public async Task Concurrent_first_requests_of_a_rotated_key_share_one_fetch_and_all_succeed()
    {
        await using var server = await ServerHost.StartAsync(_provider.ServerSettings());
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, _provider.Mint()));

        var rotated = SigningKey.NewEc("ec-2");
        _provider.Publish(_provider.Rsa, rotated);
        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => StatusAsync(server, _provider.Mint($"user-{i}", rotated))));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(2, _provider.JwksRequests);
    }

    [Fact]
    public async Task Made_up_key_ids_cause_at_most_one_fetch_per_refresh_interval()
    {
        var interval = TimeSpan.FromSeconds(2);
        var settings = _provider.ServerSettings();
        settings["Auth:JwksRefreshInterval"] = interval.ToString();
        settings["RateLimiting:Enabled"] = "false"; // the forged tokens come from one address, faster than its limit allows
        await using var server = await ServerHost.StartAsync(settings);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, _provider.Mint()));

        var started = DateTime.UtcNow;
        var forged = 0;
        while (DateTime.UtcNow - started < interval * 2.5)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, _provider.Mint(key: SigningKey.NewEc($"forged-{forged++}"))));
        }

        // The startup fetch, plus one per interval begun while forged tokens kept coming (the first at once).
        var elapsed = DateTime.UtcNow - started;
        var allowed = 1 + (int)Math.Ceiling(elapsed / interval);
        output.WriteLine($"{forged} forged kids in {elapsed.TotalSeconds:0.0} s (interval {interval.TotalSeconds} s): {_provider.JwksRequests} JWKS fetches, at most {allowed} allowed");
        Assert.True(forged > 10, $"only {forged} forged tokens were sent");
        Assert.InRange(_provider.JwksRequests, 3, allowed); // after 2.5 intervals: at least two refreshes happened
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
