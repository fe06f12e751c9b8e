using SeedMcp.Server.Auth;

namespace SeedMcp.Server.RateLimiting;

/// <summary>
/// Whose budget a request spends: the validated subject, or the client IP for anonymous callers (dev mode, or a
/// request whose token was rejected). Behind a reverse proxy, forwarded headers must be applied first or every
/// anonymous caller shares the proxy's address.
/// </summary>
public static class CallerPartitionKey
{
    public static string For(HttpContext context)
    {
        var userId = CallerIdentity.UserId(context.User);
        return userId != CallerIdentity.Anonymous
            ? "user:" + userId
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }
}
