using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace SeedMcp.Server.Auth;

/// <summary>
/// The rules that span several <see cref="AuthOptions"/> settings or depend on the environment; each message says
/// which setting to set and how.
/// </summary>
internal sealed partial class AuthOptionsValidator(AuthSetup setup, IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    private const string HowToConfigure =
        "set Auth:Authority (env Auth__Authority) to your OIDC provider's issuer URL and Auth:Audience (env Auth__Audience) " +
        "to this server's public MCP URL";

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        // The mode AuthExtensions decided from these same settings; validated here, not worked out again.
        var mode = setup.Mode;
        if (mode is AuthMode.NotConfigured && options.Required is true)
        {
            return ValidateOptionsResult.Fail($"Auth:Required is true but no authority is configured: {HowToConfigure}.");
        }

        if (mode is AuthMode.NotConfigured && environment.IsProduction())
        {
            return ValidateOptionsResult.Fail(
                $"Authentication is not configured, and the Production environment refuses to serve /mcp without it: {HowToConfigure}, " +
                "or set AUTH_REQUIRED=false (Auth:Required=false) to let anonymous callers in on purpose.");
        }

        return mode is AuthMode.Bearer ? ValidateBearer(options) : ValidateOptionsResult.Success;
    }

    private static ValidateOptionsResult ValidateBearer(AuthOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
        {
            failures.Add($"Auth:Authority (env Auth__Authority) must be an absolute https URL such as https://login.example.com/realms/mcp, but was '{options.Authority}'.");
        }
        else if (authority.Scheme == "http" && options.RequireHttpsMetadata && !authority.IsLoopback)
        {
            failures.Add($"Auth:Authority '{options.Authority}' is not https: use the provider's https URL, or set Auth:RequireHttpsMetadata=false (env Auth__RequireHttpsMetadata) on a trusted network only.");
        }

        if (!Uri.TryCreate(options.Audience, UriKind.Absolute, out var audience) || audience.Scheme is not ("https" or "http") || audience.Fragment.Length > 0)
        {
            failures.Add($"Auth:Audience (env Auth__Audience) must be this server's canonical MCP URL (RFC 8707), such as https://mcp.example.com/mcp, but was '{options.Audience}'.");
        }

        if (options.AdditionalAudiences.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add("Auth:AdditionalAudiences (env Auth__AdditionalAudiences__0, …) must not hold empty values.");
        }

        if (options.RequiredScopes.FirstOrDefault(scope => !ScopeToken().IsMatch(scope ?? string.Empty)) is { } badScope)
        {
            failures.Add($"Auth:RequiredScopes (env Auth__RequiredScopes__0, …) holds '{badScope}', which is not an OAuth scope: use printable characters without spaces, quotes or backslashes, e.g. mcp:tools.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>RFC 6749 §3.3 scope-token; also keeps the scope safe inside a WWW-Authenticate quoted string.</summary>
    [GeneratedRegex("^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$")]
    private static partial Regex ScopeToken();
}
