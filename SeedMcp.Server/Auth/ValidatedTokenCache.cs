using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace SeedMcp.Server.Auth;

/// <summary>
/// Bearer tokens that passed validation, so the signature check (an RSA verification, most of what validation costs)
/// runs once per token instead of once per request. An entry is used only while the token has not reached its
/// <c>exp</c>, for at most <see cref="AuthOptions.ValidationCacheDuration"/>, and only against the same key set it was
/// validated with: a key refresh (rotation, revocation) makes every entry validate again. Failures are never stored.
/// Keys are SHA-256 digests, so the cache holds no usable token. Size-bounded by <see cref="AuthOptions.ValidationCacheSize"/>.
/// </summary>
internal sealed class ValidatedTokenCache : IDisposable
{
    private readonly MemoryCache _entries;
    private readonly TimeSpan _maxAge;
    private readonly TimeProvider _time;

    public ValidatedTokenCache(IOptions<AuthOptions> options, TimeProvider time)
    {
        _maxAge = options.Value.ValidationCacheDuration;
        _time = time;
        _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.ValidationCacheSize });
    }

    /// <summary>
    /// The <see cref="ClaimsIdentity.Label"/> of an identity handed out from the cache instead of a new validation.
    /// JwtBearer passes on only the identity of a token handler's result, so this is how the answer reaches the
    /// <c>auth.validate</c> span's owner (<see cref="WasReused"/>).
    /// </summary>
    public const string ReusedLabel = "seedmcp.validation.reused";

    public bool Enabled => _maxAge > TimeSpan.Zero;

    /// <summary>Whether an authenticated <paramref name="principal"/> comes from an earlier validation of its token.</summary>
    public static bool WasReused(ClaimsPrincipal? principal) => principal?.Identity is ClaimsIdentity { Label: ReusedLabel };

    public static TokenKey KeyOf(string token)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(MemoryMarshal.AsBytes(token.AsSpan()), digest);
        return new TokenKey(MemoryMarshal.Read<UInt128>(digest), MemoryMarshal.Read<UInt128>(digest[16..]));
    }

    /// <summary>
    /// A fresh result for a token validated earlier against <paramref name="configuration"/> (the provider's current
    /// discovery document and keys), with a copy of its identity (labelled <see cref="ReusedLabel"/>): requests never
    /// share a mutable ClaimsIdentity.
    /// </summary>
    public bool TryGet(TokenKey key, BaseConfiguration? configuration, out TokenValidationResult result)
    {
        if (_entries.TryGetValue(key, out var value)
            && value is Entry entry
            && ReferenceEquals(entry.Configuration, configuration)
            && _time.GetUtcNow() < entry.NotAfter)
        {
            var identity = entry.Identity.Clone();
            identity.Label = ReusedLabel;
            result = new TokenValidationResult
            {
                IsValid = true,
                ClaimsIdentity = identity,
                SecurityToken = entry.Token,
                Issuer = entry.Issuer,
                TokenType = entry.TokenType,
            };
            return true;
        }

        result = null!;
        return false;
    }

    /// <summary>Remembers a successful validation until the token's <c>exp</c> or the cap, whichever comes first.</summary>
    public void Add(TokenKey key, BaseConfiguration? configuration, TokenValidationResult validated)
    {
        // IdentityModel reports ValidTo in UTC; MinValue means no exp, which validation already refuses.
        if (!validated.IsValid || validated.SecurityToken is not { } token || token.ValidTo == DateTime.MinValue)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var expires = new DateTimeOffset(DateTime.SpecifyKind(token.ValidTo, DateTimeKind.Utc));
        var notAfter = expires < now + _maxAge ? expires : now + _maxAge;
        if (notAfter <= now)
        {
            return;
        }

        // A copy: the request that validated the token goes on with (and may change) its own identity.
        var entry = new Entry(validated.ClaimsIdentity.Clone(), token, validated.Issuer, validated.TokenType, configuration, notAfter);
        _entries.Set(key, entry, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = notAfter - now });
    }

    public void Remove(TokenKey key) => _entries.Remove(key);

    public void Dispose() => _entries.Dispose();

    /// <summary>The SHA-256 digest of a token.</summary>
    internal readonly record struct TokenKey(UInt128 High, UInt128 Low);

    private sealed record Entry(
        ClaimsIdentity Identity,
        SecurityToken Token,
        string? Issuer,
        string? TokenType,
        BaseConfiguration? Configuration,
        DateTimeOffset NotAfter);
}
