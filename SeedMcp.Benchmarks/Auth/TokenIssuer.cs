using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SeedMcp.Benchmarks.Auth;

/// <summary>
/// A stand-in identity provider for the full-stack scenario: serves OpenID discovery and a JWKS over HTTP, so the
/// server validates real RS256 tokens exactly as it would against a real authority, and mints such tokens.
/// </summary>
public sealed class TokenIssuer : IAsyncDisposable
{
    /// <summary>The server's canonical MCP URL as tokens name it in <c>aud</c> (RFC 8707); it need not resolve.</summary>
    public const string Audience = "https://seedmcp-benchmarks.invalid/mcp";
    public const string Subject = "benchmark-user";

    private static readonly string[] SigningAlgorithms = [SecurityAlgorithms.RsaSha256];
    private static readonly string[] ResponseTypes = ["token"];
    private static readonly string[] SubjectTypes = ["public"];

    private readonly RSA _rsa;
    private readonly RsaSecurityKey _key;
    private readonly WebApplication _app;

    private TokenIssuer(RSA rsa, RsaSecurityKey key, WebApplication app, string authority)
    {
        _rsa = rsa;
        _key = key;
        _app = app;
        Authority = authority;
    }

    /// <summary>The issuer (<c>iss</c>) and the base of its discovery document, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Authority { get; }

    public static async Task<TokenIssuer> StartAsync(int port, CancellationToken cancellationToken)
    {
        var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "seedmcp-benchmarks-1" };
        var authority = $"http://127.0.0.1:{port}";
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(key);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = authority,
            ["jwks_uri"] = $"{authority}/jwks",
            ["id_token_signing_alg_values_supported"] = SigningAlgorithms,
            ["response_types_supported"] = ResponseTypes,
            ["subject_types_supported"] = SubjectTypes,
        }));
        app.MapGet("/jwks", () => Results.Json(new
        {
            keys = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = jwk.Kty, ["use"] = "sig", ["alg"] = SecurityAlgorithms.RsaSha256, ["kid"] = jwk.Kid, ["n"] = jwk.N, ["e"] = jwk.E,
                },
            },
        }));
        await app.StartAsync(cancellationToken);
        return new TokenIssuer(rsa, key, app, authority);
    }

    /// <summary>An RS256 access token for <see cref="Audience"/>, valid for <paramref name="lifetime"/>.</summary>
    public string MintToken(TimeSpan lifetime, params IEnumerable<Claim> extraClaims) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Authority,
        Audience = Audience,
        Subject = new ClaimsIdentity([new Claim("sub", Subject), new Claim("scope", "mcp:tools"), .. extraClaims]),
        IssuedAt = DateTime.UtcNow,
        NotBefore = DateTime.UtcNow.AddMinutes(-1),
        Expires = DateTime.UtcNow + lifetime,
        SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
    });

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _rsa.Dispose();
    }
}
