using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore.Authentication;
using ModelContextProtocol.Authentication;

namespace SeedMcp.Server.Auth;

/// <summary>
/// The RFC 9728 protected-resource metadata the MCP SDK's authentication handler serves at
/// <c>/.well-known/oauth-protected-resource/mcp</c>: this server's canonical URL and the authorization server that
/// issues tokens for it. MCP clients read it after a 401 to find where to get a token. Served at the path of
/// <see cref="AuthSetup.ResourceMetadataUrl"/>, the URL every challenge advertises.
/// </summary>
internal sealed class ProtectedResourceMetadataSetup(IOptions<AuthOptions> authOptions, AuthSetup setup) : IConfigureNamedOptions<McpAuthenticationOptions>
{
    public void Configure(string? name, McpAuthenticationOptions options)
    {
        if (name == McpAuthenticationDefaults.AuthenticationScheme)
        {
            Configure(options);
        }
    }

    public void Configure(McpAuthenticationOptions options)
    {
        var auth = authOptions.Value;
        // The handler compares a relative URI with the request path; the challenges carry the absolute URL.
        options.ResourceMetadataUri = new Uri(setup.ResourceMetadataUrl!.AbsolutePath, UriKind.Relative);
        options.ResourceMetadata = new ProtectedResourceMetadata
        {
            Resource = auth.Audience,
            AuthorizationServers = [auth.Authority!],
            ScopesSupported = auth.RequiredScopes,
            BearerMethodsSupported = ["header"],
            ResourceName = "SeedMcp",
        };
    }
}
