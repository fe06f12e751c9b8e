namespace SeedMcp.Server.Auth;

/// <summary>Whether <c>/mcp</c> demands bearer tokens, decided once at startup from <see cref="AuthOptions"/>.</summary>
public enum AuthMode
{
    /// <summary>An authority is configured: every request to <c>/mcp</c> needs a valid token.</summary>
    Bearer,

    /// <summary><c>Auth:Required=false</c> / <c>AUTH_REQUIRED=false</c>: every caller is <c>anonymous</c>.</summary>
    Disabled,

    /// <summary>Neither configured nor disabled: tolerated (anonymous, with a warning) outside Production only.</summary>
    NotConfigured,
}

public static class AuthModes
{
    public static AuthMode Resolve(AuthOptions options) => options switch
    {
        { Required: false } => AuthMode.Disabled,
        { Authority: { Length: > 0 } } => AuthMode.Bearer,
        _ => AuthMode.NotConfigured,
    };
}
