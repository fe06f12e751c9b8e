using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SeedMcp.Testing;

/// <summary>
/// A tiny OIDC provider on real Kestrel (loopback, free port): a discovery document and a JWKS the test can change
/// (key rotation), request counters, and real RSA/EC-signed JWTs. Nothing is mocked on the server's side of the wire.
/// The tests' identity provider and the benchmarks' token issuer.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string JwksPath = "/jwks";

    /// <summary>The server's canonical MCP URL in the tests (RFC 8707 audience); deliberately not the bind address.</summary>
    public const string DefaultAudience = "https://mcp.test.example/mcp";

    public const string ResourceMetadataUrl = "https://mcp.test.example/.well-known/oauth-protected-resource/mcp";

    private static readonly string[] ResponseTypes = ["code"];
    private static readonly string[] SubjectTypes = ["public"];
    private static readonly string[] SigningAlgorithms = ["RS256", "ES256"];

    private readonly WebApplication _app;
    private volatile SigningKey[] _published;
    private int _jwksRequests;
    private int _discoveryRequests;

    private TestIdentityProvider(WebApplication app, Uri issuer, string audience, SigningKey rsa, SigningKey ec)
    {
        _app = app;
        Issuer = issuer.ToString().TrimEnd('/');
        Audience = audience;
        Rsa = rsa;
        Ec = ec;
        _published = [rsa, ec];
    }

    /// <summary>The issuer (<c>iss</c>) and the base of its discovery document, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Issuer { get; }

    /// <summary>The <c>aud</c> of every token it mints: the server's canonical MCP URL (it need not resolve).</summary>
    public string Audience { get; }

    public SigningKey Rsa { get; }

    public SigningKey Ec { get; }

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    /// <summary>Settings that point the server at this provider.</summary>
    public Dictionary<string, string?> ServerSettings(params string[] requiredScopes)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Authority"] = Issuer,
            ["Auth:Audience"] = Audience,
            // Pinned, so an AUTH_REQUIRED=false in the developer's shell cannot turn authentication off.
            ["AUTH_REQUIRED"] = null,
            ["Auth:Required"] = null,
        };
        for (var i = 0; i < requiredScopes.Length; i++)
        {
            settings[$"Auth:RequiredScopes:{i}"] = requiredScopes[i];
        }

        return settings;
    }

    public static async Task<TestIdentityProvider> StartAsync(string audience = DefaultAudience)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();

        TestIdentityProvider? provider = null;
        app.MapGet("/.well-known/openid-configuration", () =>
        {
            Interlocked.Increment(ref provider!._discoveryRequests);
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = provider.Issuer,
                ["jwks_uri"] = provider.Issuer + JwksPath,
                ["authorization_endpoint"] = provider.Issuer + "/authorize",
                ["token_endpoint"] = provider.Issuer + "/token",
                ["response_types_supported"] = ResponseTypes,
                ["subject_types_supported"] = SubjectTypes,
                ["id_token_signing_alg_values_supported"] = SigningAlgorithms,
            });
        });
        app.MapGet(JwksPath, () =>
        {
            Interlocked.Increment(ref provider!._jwksRequests);
            return Results.Json(new { keys = provider._published.Select(key => key.PublicJwk()).ToArray() });
        });

        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        provider = new TestIdentityProvider(app, new Uri(address), audience, SigningKey.NewRsa("rsa-1"), SigningKey.NewEc("ec-1"));
        return provider;
    }

    /// <summary>Replaces the keys the JWKS serves, as a provider does when it rotates keys.</summary>
    public void Publish(params SigningKey[] keys) => _published = keys;

    /// <summary>Back to how it started: its first two keys published and no request counted.</summary>
    public void Reset()
    {
        _published = [Rsa, Ec];
        Interlocked.Exchange(ref _jwksRequests, 0);
        Interlocked.Exchange(ref _discoveryRequests, 0);
    }

    /// <summary>A valid access token for <paramref name="subject"/>; <paramref name="adjust"/> makes it invalid on purpose.</summary>
    public string Mint(string subject = "user-1", SigningKey? key = null, string? scope = null, Action<SecurityTokenDescriptor>? adjust = null)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["email"] = subject + "@example.com" };
        if (scope is not null)
        {
            claims["scope"] = scope;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-5),
            Expires = now.AddMinutes(5),
            Claims = claims,
            SigningCredentials = (key ?? Rsa).Credentials,
        };
        adjust?.Invoke(descriptor);
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}

/// <summary>A signing key with its key id; its public half is what the JWKS serves.</summary>
public sealed class SigningKey
{
    private SigningKey(AsymmetricSecurityKey key, string algorithm)
    {
        Key = key;
        Credentials = new SigningCredentials(key, algorithm);
    }

    public AsymmetricSecurityKey Key { get; }

    public SigningCredentials Credentials { get; }

    public string Kid => Key.KeyId;

    public static SigningKey NewRsa(string kid) =>
        new(new RsaSecurityKey(RSA.Create(2048)) { KeyId = kid }, SecurityAlgorithms.RsaSha256);

    public static SigningKey NewEc(string kid) =>
        new(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = kid }, SecurityAlgorithms.EcdsaSha256);

    /// <summary>The public JWK (RFC 7517) of this key.</summary>
    public Dictionary<string, string> PublicJwk()
    {
        switch (Key)
        {
            case RsaSecurityKey rsa:
                var parameters = rsa.Rsa.ExportParameters(includePrivateParameters: false);
                return new()
                {
                    ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = Kid,
                    ["n"] = Base64UrlEncoder.Encode(parameters.Modulus), ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                };
            case ECDsaSecurityKey ec:
                var point = ec.ECDsa.ExportParameters(includePrivateParameters: false).Q;
                return new()
                {
                    ["kty"] = "EC", ["use"] = "sig", ["alg"] = "ES256", ["kid"] = Kid, ["crv"] = "P-256",
                    ["x"] = Base64UrlEncoder.Encode(point.X), ["y"] = Base64UrlEncoder.Encode(point.Y),
                };
            default:
                throw new NotSupportedException(Key.GetType().Name);
        }
    }

    /// <summary>A key with the same kid but different key material: its signatures do not verify.</summary>
    public SigningKey Impostor() => Key is RsaSecurityKey ? NewRsa(Kid) : NewEc(Kid);
}
