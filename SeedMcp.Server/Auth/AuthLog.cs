namespace SeedMcp.Server.Auth;

/// <summary>Authentication log lines; none carries a token, a signature or a claim value beyond the subject.</summary>
internal static partial class AuthLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "{Method} /mcp without a bearer token; answering 401 with the resource metadata challenge")]
    public static partial void NoBearerToken(ILogger logger, string method);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Bearer token rejected: {Outcome}; answering 401")]
    public static partial void TokenRejected(ILogger logger, string outcome);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error,
        Message = "The authorization server's discovery document or keys cannot be fetched ({Reason}); answering 503 until it answers")]
    public static partial void ProviderUnavailable(ILogger logger, string? reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information,
        Message = "Bearer authentication on /mcp: authority {Authority}, audience {Audience}, required scopes [{RequiredScopes}]")]
    public static partial void BearerEnabled(ILogger logger, string authority, string audience, string requiredScopes);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning,
        Message = "Authentication is disabled (Auth:Required=false / AUTH_REQUIRED=false): every caller of /mcp is 'anonymous'. Never expose the server like this.")]
    public static partial void AuthDisabled(ILogger logger);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning,
        Message = "Authentication is not configured, so every caller of /mcp is 'anonymous' (tolerated outside Production). Set Auth:Authority and Auth:Audience to require tokens, or AUTH_REQUIRED=false to make anonymous access explicit.")]
    public static partial void AuthNotConfigured(ILogger logger);
}
