using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace SeedMcp.Server.Auth;

/// <summary>
/// Turns off IdentityModel's "last known good" retry, which validates a token against the previous key set for up to
/// an hour after a refresh: a key the provider stopped publishing (rotated out, or revoked) must stop working at once.
/// A provider outage is unaffected: the cached key set stays in use until a fetch succeeds.
/// Runs after JwtBearer's own post-configuration, which creates the ConfigurationManager.
/// </summary>
internal sealed class NoLastKnownGoodKeys : IPostConfigureOptions<JwtBearerOptions>
{
    public void PostConfigure(string? name, JwtBearerOptions options)
    {
        if (name == JwtBearerDefaults.AuthenticationScheme && options.ConfigurationManager is BaseConfigurationManager configuration)
        {
            configuration.UseLastKnownGoodConfiguration = false;
        }
    }
}
