using System.ComponentModel;
using System.Security.Claims;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SeedMcp.Server.Auth;

namespace SeedMcp.Server.Tools;

[McpServerToolType]
public sealed class UserInfoTool
{
    /// <summary>Claims safe to show back to their owner; raw tokens and signatures are never among them.</summary>
    private static readonly string[] DisclosedClaims = ["name", "preferred_username", "email", "roles", "role", ClaimTypes.Role, "azp", "client_id"];

    [McpServerTool(Name = "user_info", ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Tells who the caller is: the authenticated subject, issuer, scopes and selected claims, or 'anonymous' when the request carries no identity.")]
    public static UserInfo GetUserInfo(RequestContext<CallToolRequestParams> request) => Describe(request.User);

    /// <summary>The caller as <c>user_info</c> reports it; the SDK passes no principal for anonymous requests.</summary>
    public static UserInfo Describe(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return new UserInfo(false, CallerIdentity.Anonymous, null, [], new Dictionary<string, string[]>());
        }

        var scopes = TokenScopes.Of(user);
        var claims = user.Claims
            .Where(claim => DisclosedClaims.Contains(claim.Type, StringComparer.Ordinal))
            .GroupBy(claim => claim.Type, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Select(claim => claim.Value).ToArray(), StringComparer.Ordinal);

        return new UserInfo(true, CallerIdentity.UserId(user), user.FindFirst("iss")?.Value, scopes, claims);
    }
}

public sealed record UserInfo(
    bool Authenticated,
    string Subject,
    string? Issuer,
    IReadOnlyList<string> Scopes,
    IReadOnlyDictionary<string, string[]> Claims);
