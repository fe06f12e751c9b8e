using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using SeedMcp.Server.Auth;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Auth;

/// <summary>When a remembered validation may be reused, on a clock the test moves.</summary>
public sealed class ValidatedTokenCacheTests : IDisposable
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(2);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private readonly OpenIdConnectConfiguration _keys = new();
    private readonly ValidatedTokenCache _cache;

    public ValidatedTokenCacheTests() =>
        _cache = new ValidatedTokenCache(Options.Create(new AuthOptions { ValidationCacheDuration = MaxAge, ValidationCacheSize = 100 }), _clock);

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void Each_reuse_gets_its_own_copy_of_the_identity()
    {
        var (key, validated) = Validated("alice", expiresIn: TimeSpan.FromHours(1));
        _cache.Add(key, _keys, validated);

        Assert.True(_cache.TryGet(key, _keys, out var first));
        first.ClaimsIdentity.AddClaim(new Claim("role", "admin"));
        Assert.True(_cache.TryGet(key, _keys, out var second));

        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.NotSame(validated.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Null(second.ClaimsIdentity.FindFirst("role"));
        Assert.Equal("alice", second.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.True(second.IsValid);
        Assert.Same(validated.SecurityToken, second.SecurityToken);
    }

    [Fact]
    public void An_entry_is_not_reused_past_the_cap()
    {
        var (key, validated) = Validated("alice", expiresIn: TimeSpan.FromHours(1));
        _cache.Add(key, _keys, validated);

        _clock.Advance(MaxAge - TimeSpan.FromSeconds(1));
        Assert.True(_cache.TryGet(key, _keys, out _));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(_cache.TryGet(key, _keys, out _));
    }

    [Fact]
    public void An_entry_is_not_reused_once_the_token_expires()
    {
        var (key, validated) = Validated("alice", expiresIn: TimeSpan.FromSeconds(30));
        _cache.Add(key, _keys, validated);

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.True(_cache.TryGet(key, _keys, out _));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(_cache.TryGet(key, _keys, out _));
    }

    [Fact]
    public void An_entry_is_reused_only_against_the_key_set_it_was_validated_with()
    {
        var (key, validated) = Validated("alice", expiresIn: TimeSpan.FromHours(1));
        _cache.Add(key, _keys, validated);

        Assert.False(_cache.TryGet(key, new OpenIdConnectConfiguration(), out _));
        Assert.True(_cache.TryGet(key, _keys, out _));
    }

    [Fact]
    public void A_failed_validation_is_never_stored()
    {
        var (key, validated) = Validated("alice", expiresIn: TimeSpan.FromHours(1));
        validated.IsValid = false;
        _cache.Add(key, _keys, validated);

        Assert.False(_cache.TryGet(key, _keys, out _));
    }

    [Fact]
    public void Tokens_are_told_apart_by_their_whole_text()
    {
        var (aliceKey, alice) = Validated("alice", expiresIn: TimeSpan.FromHours(1));
        var (bobKey, _) = Validated("bob", expiresIn: TimeSpan.FromHours(1));
        _cache.Add(aliceKey, _keys, alice);

        Assert.NotEqual(aliceKey, bobKey);
        Assert.False(_cache.TryGet(bobKey, _keys, out _));
    }

    /// <summary>A token as JsonWebTokenHandler returns it after validation: its key, and the successful result.</summary>
    private (ValidatedTokenCache.TokenKey Key, TokenValidationResult Result) Validated(string subject, TimeSpan expiresIn)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        var text = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = subject },
            IssuedAt = now,
            NotBefore = now,
            Expires = now + expiresIn,
            SigningCredentials = SigningKey.NewRsa("rsa-1").Credentials,
        });
        var token = new JsonWebToken(text);
        var identity = new CaseSensitiveClaimsIdentity(token.Claims, "AuthenticationTypes.Federation", "sub", "roles");
        return (ValidatedTokenCache.KeyOf(text), new TokenValidationResult { IsValid = true, SecurityToken = token, ClaimsIdentity = identity });
    }
}
