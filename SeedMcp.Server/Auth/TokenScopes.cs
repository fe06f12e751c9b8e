using System.Security.Claims;

namespace SeedMcp.Server.Auth;

/// <summary>The OAuth scopes a validated token carries: space-separated in <c>scope</c> (RFC 9068) or <c>scp</c> (Entra ID).</summary>
public static class TokenScopes
{
    public static IReadOnlyList<string> Of(ClaimsPrincipal? user) =>
        user is null
            ? []
            : user.FindAll("scope").Concat(user.FindAll("scp"))
                .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Distinct(StringComparer.Ordinal)
                .ToArray();

    public static IReadOnlyList<string> Missing(ClaimsPrincipal? user, IEnumerable<string> required) =>
        required.Except(Of(user), StringComparer.Ordinal).ToArray();
}
