using System.Diagnostics;
using System.Net;
using SeedMcp.Server.Auth;
using SeedMcp.Server.Telemetry;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Auth;

/// <summary>
/// A validated token is not verified again on later requests (the <c>auth.validate</c> span says so), yet expiry, key
/// rotation and earlier failures still decide as if every request were validated. Real tokens, real provider.
/// </summary>
public sealed class TokenValidationCacheTests(IdentityProviderFixture identity) : IClassFixture<IdentityProviderFixture>, IDisposable
{
    private readonly HttpClient _http = RawMcp.CreateHttpClient();
    private readonly TestIdentityProvider _provider = identity.ResetProvider(); // one test rotates the keys

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_token_is_validated_once_and_the_auth_span_says_when_that_validation_was_reused()
    {
        await using var server = await TracedServer.StartAsync(_provider.ServerSettings());
        var token = _provider.Mint("alice");

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server.Host, token));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server.Host, token));

        var spans = await AuthSpansAsync(server, 2);
        Assert.Equal([false, true], spans.Select(span => span.GetTagItem(SeedMcpTelemetry.Authentication.CacheHitAttribute)));
        Assert.All(spans, span => Assert.Equal("ok", span.GetTagItem(SeedMcpTelemetry.Authentication.OutcomeAttribute)));
        Assert.All(spans, span => Assert.Equal("alice", span.GetTagItem(SeedMcpTelemetry.Attributes.UserId)));
    }

    [Fact]
    public async Task A_cached_token_is_rejected_once_it_expires()
    {
        await using var server = await ServerHost.StartAsync(WithoutClockSkew());
        await WarmAsync(server);
        var expires = DateTime.UtcNow.AddSeconds(LifetimeEdge);
        var token = _provider.Mint("alice", adjust: descriptor => descriptor.Expires = expires);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, token));

        // exp is whole seconds: wait until it has certainly passed.
        await Task.Delay(expires.AddSeconds(1.2) - DateTime.UtcNow);
        using var response = await _http.SendAsync(BearerRequests.StatelessToolCall(server.McpEndpoint, token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error_description=\"The access token has expired; obtain a new one.\"",
            string.Join(", ", response.Headers.GetValues("WWW-Authenticate")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_validation_is_not_remembered()
    {
        await using var server = await ServerHost.StartAsync(WithoutClockSkew());
        await WarmAsync(server);
        var notBefore = DateTime.UtcNow.AddSeconds(LifetimeEdge);
        var token = _provider.Mint("alice", adjust: descriptor => descriptor.NotBefore = notBefore);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, token));

        await Task.Delay(notBefore.AddSeconds(1.2) - DateTime.UtcNow);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, token));
    }

    [Fact]
    public async Task A_cached_token_whose_key_the_provider_stopped_publishing_is_rejected_after_the_key_refresh()
    {
        await using var server = await ServerHost.StartAsync(_provider.ServerSettings());
        var oldKeyToken = _provider.Mint("alice");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, oldKeyToken));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, oldKeyToken)); // now cached

        var rotated = SigningKey.NewRsa("rsa-2");
        _provider.Publish(rotated);
        var newKeyToken = _provider.Mint("bob", rotated);
        var status = await StatusAsync(server, newKeyToken);
        for (var attempt = 0; status != HttpStatusCode.OK && attempt < 50; attempt++)
        {
            // The unknown kid triggers the refresh; JwtBearer may answer before it lands.
            await Task.Delay(100);
            status = await StatusAsync(server, newKeyToken);
        }

        Assert.Equal(HttpStatusCode.OK, status);
        using var response = await _http.SendAsync(BearerRequests.StatelessToolCall(server.McpEndpoint, oldKeyToken));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error_description=\"The access token was signed with a key the authorization server does not publish.\"",
            string.Join(", ", response.Headers.GetValues("WWW-Authenticate")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_cache_turned_off_every_request_is_validated()
    {
        var settings = _provider.ServerSettings();
        settings["Auth:ValidationCacheDuration"] = "00:00:00";
        await using var server = await TracedServer.StartAsync(settings);
        var token = _provider.Mint("alice");

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server.Host, token));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server.Host, token));

        var spans = await AuthSpansAsync(server, 2);
        Assert.All(spans, span => Assert.Null(span.GetTagItem(SeedMcpTelemetry.Authentication.CacheHitAttribute)));
        Assert.All(spans, span => Assert.Equal("ok", span.GetTagItem(SeedMcpTelemetry.Authentication.OutcomeAttribute)));
    }

    [Theory]
    [InlineData("Auth:ValidationCacheDuration", "00:16:00", "Auth:ValidationCacheDuration (env Auth__ValidationCacheDuration) must be between")]
    [InlineData("Auth:ValidationCacheSize", "0", "Auth:ValidationCacheSize (env Auth__ValidationCacheSize) must be between")]
    public async Task Invalid_cache_settings_refuse_to_start_naming_the_setting(string setting, string value, string expected)
    {
        var settings = _provider.ServerSettings();
        settings[setting] = value;

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ServerHost.StartAsync(settings));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Seconds from minting to the token's exp or nbf. The first request of a server fetches discovery and JWKS and
    /// can take seconds on a loaded machine, so <see cref="WarmAsync"/> makes it before the token is minted.
    /// </summary>
    private const int LifetimeEdge = 4;

    private async Task WarmAsync(ServerHost server) =>
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, _provider.Mint("warm-up")));

    private Dictionary<string, string?> WithoutClockSkew()
    {
        var settings = _provider.ServerSettings();
        settings["Auth:ClockSkew"] = "00:00:00";
        return settings;
    }

    private async Task<HttpStatusCode> StatusAsync(ServerHost server, string token)
    {
        using var response = await _http.SendAsync(BearerRequests.StatelessToolCall(server.McpEndpoint, token));
        return response.StatusCode;
    }

    private static async Task<List<Activity>> AuthSpansAsync(TracedServer server, int count)
    {
        await Eventually.GetAsync(() => AuthSpans(server).Count >= count ? "" : null, $"{count} auth.validate spans");
        return AuthSpans(server);
    }

    private static List<Activity> AuthSpans(TracedServer server) =>
        server.Spans
            .Where(span => span.Source.Name == SeedMcpTelemetry.Sources.Auth && span.OperationName == SeedMcpTelemetry.Authentication.ValidateSpan)
            .OrderBy(span => span.StartTimeUtc)
            .ToList();
}
