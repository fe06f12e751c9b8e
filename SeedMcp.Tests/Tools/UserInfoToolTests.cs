using System.Security.Claims;
using SeedMcp.Server.Tools;

namespace SeedMcp.Tests.Tools;

public sealed class UserInfoToolTests
{
    [Fact]
    public void No_identity_is_anonymous()
    {
        var info = UserInfoTool.Describe(null);

        Assert.False(info.Authenticated);
        Assert.Equal("anonymous", info.Subject);
        Assert.Empty(info.Scopes);
    }

    [Fact]
    public void An_authenticated_caller_sees_subject_issuer_scopes_and_safe_claims_only()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim("sub", "user-42"),
            new Claim("iss", "https://issuer.example"),
            new Claim("scope", "mcp:tools mcp:read"),
            new Claim("email", "u42@example.com"),
            new Claim("secret_internal", "must-not-leak"),
        ], authenticationType: "Bearer"));

        var info = UserInfoTool.Describe(user);

        Assert.True(info.Authenticated);
        Assert.Equal("user-42", info.Subject);
        Assert.Equal("https://issuer.example", info.Issuer);
        Assert.Equal(["mcp:tools", "mcp:read"], info.Scopes);
        Assert.Equal(["u42@example.com"], info.Claims["email"]);
        Assert.False(info.Claims.ContainsKey("secret_internal"));
    }
}
