using System.Security.Claims;

namespace SeedMcp.Server.Auth;

/// <summary>Who is calling, reduced to the one id sessions are bound to and telemetry is tagged with.</summary>
public static class CallerIdentity
{
    public const string Anonymous = "anonymous";

    /// <summary>The authenticated subject (<c>sub</c>, else the name identifier), or <see cref="Anonymous"/>.</summary>
    public static string UserId(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return Anonymous;
        }

        return user.FindFirst("sub")?.Value
            ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value
            ?? Anonymous;
    }
}
