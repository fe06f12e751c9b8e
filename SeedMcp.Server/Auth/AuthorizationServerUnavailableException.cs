namespace SeedMcp.Server.Auth;

/// <summary>
/// The provider's discovery document or keys could not be fetched and none are cached: the token cannot be judged,
/// so the caller gets 503 rather than a 401 that would blame its token.
/// </summary>
public sealed class AuthorizationServerUnavailableException : Exception
{
    public AuthorizationServerUnavailableException()
    {
    }

    public AuthorizationServerUnavailableException(string message)
        : base(message)
    {
    }

    public AuthorizationServerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
