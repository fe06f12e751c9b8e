namespace SeedMcp.Benchmarks.Auth;

/// <summary>
/// The full-stack scenario's identity provider is the tests' (<see cref="TestIdentityProvider"/>, SeedMcp.Testing): it
/// serves OpenID discovery and a JWKS over HTTP, so the server validates real RS256 tokens exactly as it would against
/// a real authority. What the benchmarks ask of it is here.
/// </summary>
public static class BenchmarkTokens
{
    /// <summary>The server's canonical MCP URL as tokens name it in <c>aud</c> (RFC 8707); it need not resolve.</summary>
    public const string Audience = "https://seedmcp-benchmarks.invalid/mcp";
    public const string Subject = "benchmark-user";

    public static Task<TestIdentityProvider> StartIssuerAsync(CancellationToken cancellationToken) =>
        TestIdentityProvider.StartAsync(Audience).WaitAsync(cancellationToken);

    /// <summary>An RS256 access token for <see cref="Audience"/> with scope <c>mcp:tools</c>, valid for <paramref name="lifetime"/>.</summary>
    public static string Mint(TestIdentityProvider issuer, TimeSpan lifetime) =>
        issuer.Mint(Subject, scope: "mcp:tools", adjust: token => token.Expires = DateTime.UtcNow + lifetime);
}
