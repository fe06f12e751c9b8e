using System.ComponentModel.DataAnnotations;

namespace SeedMcp.Server.Auth;

/// <summary>
/// How callers of <c>/mcp</c> authenticate: OAuth 2.1 bearer tokens (JWTs) from an OIDC provider, validated by this
/// server as an MCP resource server. Section <c>Auth</c>; cross-field rules live in <see cref="AuthOptionsValidator"/>.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The seed's name for <see cref="Required"/>, read when <c>Auth:Required</c> is not set.</summary>
    public const string SeedRequiredKey = "AUTH_REQUIRED";

    /// <summary>
    /// <c>false</c>: no authentication, every caller is <c>anonymous</c> (development only). <c>true</c>: tokens are
    /// required and <see cref="Authority"/> must be set. Unset: required when an authority is configured.
    /// Env <c>Auth__Required</c> or <c>AUTH_REQUIRED</c>.
    /// </summary>
    public bool? Required { get; set; }

    /// <summary>
    /// The OIDC provider's issuer URL; discovery is read from <c>{Authority}/.well-known/openid-configuration</c>.
    /// Env <c>Auth__Authority</c>.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>
    /// This server's canonical MCP URL (RFC 8707 resource indicator), e.g. <c>https://mcp.example.com/mcp</c>: tokens
    /// must name it in <c>aud</c>, and the protected-resource metadata advertises it. Env <c>Auth__Audience</c>.
    /// </summary>
    public string? Audience { get; set; }

    /// <summary>
    /// Further accepted <c>aud</c> values, for providers that cannot put a URL there (Entra ID's <c>api://…</c> or
    /// client id). Env <c>Auth__AdditionalAudiences__0</c>, <c>__1</c>…
    /// </summary>
    public string[] AdditionalAudiences { get; set; } = [];

    /// <summary>Scopes every token must carry (in <c>scope</c> or <c>scp</c>). Env <c>Auth__RequiredScopes__0</c>…</summary>
    public string[] RequiredScopes { get; set; } = [];

    /// <summary>
    /// Discovery and keys must come over HTTPS. A loopback authority (<c>http://localhost:8080</c>, a local Keycloak)
    /// is always allowed. Env <c>Auth__RequireHttpsMetadata</c>.
    /// </summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Tolerated clock difference for <c>exp</c> and <c>nbf</c>. Env <c>Auth__ClockSkew</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00",
        ErrorMessage = "Auth:ClockSkew (env Auth__ClockSkew) must be between 00:00:00 and 00:05:00, e.g. 00:01:00.")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The shortest time between two key refreshes caused by an unknown <c>kid</c>, so tokens with made-up key ids
    /// cannot make the server hammer the provider. Env <c>Auth__JwksRefreshInterval</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00",
        ErrorMessage = "Auth:JwksRefreshInterval (env Auth__JwksRefreshInterval) must be between 00:00:01 and 1.00:00:00, e.g. 00:05:00.")]
    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long discovery and keys are cached before a routine refresh. Env <c>Auth__JwksAutomaticRefreshInterval</c>.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00",
        ErrorMessage = "Auth:JwksAutomaticRefreshInterval (env Auth__JwksAutomaticRefreshInterval) must be between 00:05:00 and 7.00:00:00, e.g. 12:00:00.")]
    public TimeSpan JwksAutomaticRefreshInterval { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// How long a validated token is remembered, so its signature is verified once per token rather than on every
    /// request. An entry never outlives the token's <c>exp</c> and is dropped as soon as the provider's keys are
    /// refreshed; this cap bounds everything else. <c>00:00:00</c> validates every request. Env
    /// <c>Auth__ValidationCacheDuration</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:15:00",
        ErrorMessage = "Auth:ValidationCacheDuration (env Auth__ValidationCacheDuration) must be between 00:00:00 (off) and 00:15:00, e.g. 00:02:00.")]
    public TimeSpan ValidationCacheDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Most validated tokens remembered at once; beyond it new tokens are validated every time until entries expire. Env <c>Auth__ValidationCacheSize</c>.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Auth:ValidationCacheSize (env Auth__ValidationCacheSize) must be between 1 and 1000000, e.g. 10000.")]
    public int ValidationCacheSize { get; set; } = 10_000;

    /// <summary>Takes <c>AUTH_REQUIRED</c> (the seed's name) when <c>Auth:Required</c> is not set.</summary>
    public void ApplySeedRequired(IConfiguration configuration)
    {
        var value = configuration[SeedRequiredKey];
        if (Required is not null || string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        Required = bool.TryParse(value, out var required)
            ? required
            : throw new InvalidOperationException($"{SeedRequiredKey} must be 'true' or 'false', but was '{value}'.");
    }

    /// <summary>Every audience a token may carry: the canonical resource first.</summary>
    public IEnumerable<string> ValidAudiences =>
        string.IsNullOrWhiteSpace(Audience) ? AdditionalAudiences : AdditionalAudiences.Prepend(Audience);
}
