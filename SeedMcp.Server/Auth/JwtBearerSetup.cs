using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace SeedMcp.Server.Auth;

/// <summary>
/// JwtBearer as an MCP resource server: discovery and JWKS from the authority over HTTP, cached by JwtBearer's
/// ConfigurationManager (refreshed every <see cref="AuthOptions.JwksAutomaticRefreshInterval"/>, and on an unknown
/// <c>kid</c> at most once per <see cref="AuthOptions.JwksRefreshInterval"/>, the request waiting for the new keys:
/// <see cref="KeyRotationTokenHandler"/>); signature, <c>exp</c>, <c>nbf</c>,
/// <c>iss</c> and <c>aud</c> checked, once per token while the key set stays the same (<see cref="ValidatedTokenCache"/>);
/// our own 401/403/503 answers.
/// </summary>
internal sealed class JwtBearerSetup(IOptions<AuthOptions> authOptions, AuthSetup setup, ValidatedTokenCache tokenCache, SigningKeyRefresh keyRefresh)
    : IConfigureNamedOptions<JwtBearerOptions>
{
    /// <summary>Asymmetric algorithms only: no <c>none</c>, and no HMAC key confusion with a published public key.</summary>
    private static readonly string[] AcceptedAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>A provider that has not answered in this time will not answer usefully for a waiting MCP request.</summary>
    private static readonly TimeSpan BackchannelTimeout = TimeSpan.FromSeconds(10);

    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name == JwtBearerDefaults.AuthenticationScheme)
        {
            Configure(options);
        }
    }

    public void Configure(JwtBearerOptions options)
    {
        var auth = authOptions.Value;
        var metadataUrl = setup.ResourceMetadataUrl!;
        options.Authority = auth.Authority;
        options.RequireHttpsMetadata = auth.RequireHttpsMetadata && !new Uri(auth.Authority!).IsLoopback;
        options.BackchannelTimeout = BackchannelTimeout;
        options.RefreshOnIssuerKeyNotFound = true;
        options.RefreshInterval = auth.JwksRefreshInterval;
        options.AutomaticRefreshInterval = auth.JwksAutomaticRefreshInterval;
        options.MapInboundClaims = false;
        options.SaveToken = false;
        // An unknown kid: refresh the keys (throttled), wait for them and validate the same token again.
        var rotating = options.TokenHandlers.Select(handler => new KeyRotationTokenHandler(handler, keyRefresh, BackchannelTimeout)).ToList();
        options.TokenHandlers.Clear();
        rotating.ForEach(options.TokenHandlers.Add);
        if (tokenCache.Enabled)
        {
            // Wraps the JsonWebTokenHandler JwtBearer created (MapInboundClaims above already applies to it).
            var handlers = options.TokenHandlers.Select(handler => new CachingTokenHandler(handler, tokenCache)).ToList();
            options.TokenHandlers.Clear();
            handlers.ForEach(options.TokenHandlers.Add);
        }

        var validation = options.TokenValidationParameters;
        validation.ValidateIssuer = true; // against the issuer of the discovery document
        validation.ValidateAudience = true;
        validation.ValidAudiences = auth.ValidAudiences.ToArray();
        validation.ValidateLifetime = true;
        validation.RequireExpirationTime = true;
        validation.RequireSignedTokens = true;
        validation.ValidAlgorithms = AcceptedAlgorithms;
        validation.ClockSkew = auth.ClockSkew;
        validation.NameClaimType = "sub";
        validation.RoleClaimType = "roles";

        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = EnsureSigningKeysAsync,
            OnChallenge = context =>
            {
                context.HandleResponse();
                var outcome = context.AuthenticateFailure is { } failure ? AuthOutcome.Of(failure) : AuthOutcome.MissingToken;
                return outcome == AuthOutcome.ProviderUnavailable
                    ? BearerResponses.WriteProviderUnavailableAsync(context.HttpContext)
                    : BearerResponses.WriteUnauthorizedAsync(context.HttpContext, auth, metadataUrl, outcome);
            },
            // Authenticated but forbidden: the only requirement beyond authentication is the scope list.
            OnForbidden = context =>
                BearerResponses.WriteInsufficientScopeAsync(context.HttpContext, auth, metadataUrl, TokenScopes.Missing(context.HttpContext.User, auth.RequiredScopes)),
        };
    }

    /// <summary>
    /// Fetches discovery and keys before validation when none are cached. JsonWebTokenHandler would swallow a failed
    /// fetch and then report the token as signed by an unknown key; failing here tells the caller (503) and the trace
    /// (<c>provider_unavailable</c>) the truth. Once keys are cached this returns at once.
    /// </summary>
    private static async Task EnsureSigningKeysAsync(MessageReceivedContext context)
    {
        if (!HasBearerToken(context.Request) || context.Options.ConfigurationManager is not { } configuration)
        {
            return;
        }

        try
        {
            await configuration.GetConfigurationAsync(context.HttpContext.RequestAborted);
        }
        catch (InvalidOperationException exception)
        {
            context.Fail(new AuthorizationServerUnavailableException(
                $"The discovery document or keys of '{context.Options.Authority}' could not be fetched.", exception));
        }
    }

    private static bool HasBearerToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.AsSpan(7).Trim().Length > 0;
    }
}
