using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore.Authentication;

namespace SeedMcp.Server.Auth;

public static class AuthExtensions
{
    /// <summary>The authorization policy of <c>/mcp</c>; its content depends on the <see cref="AuthMode"/>.</summary>
    public const string McpCallerPolicy = "mcp-caller";

    /// <summary>
    /// Bearer validation and the MCP protected-resource metadata when an authority is configured; otherwise anonymous
    /// access (refused at startup in Production unless explicitly chosen with <c>AUTH_REQUIRED=false</c>).
    /// </summary>
    public static IHostApplicationBuilder AddSeedMcpAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) => options.ApplySeedRequired(configuration))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        // The mode decides which services exist, so it is decided here, once (AuthSetup); the validator checks the
        // settings the chosen mode needs at startup and stops the server with a clear message if they are wrong.
        var settings = new AuthOptions();
        builder.Configuration.GetSection(AuthOptions.SectionName).Bind(settings);
        settings.ApplySeedRequired(builder.Configuration);
        var setup = AuthSetup.From(settings);
        builder.Services.AddSingleton(setup);
        builder.Services.AddHostedService<AuthModeAnnouncement>();

        if (setup.Mode is AuthMode.Bearer)
        {
            AddBearer(builder.Services, settings.RequiredScopes);
        }
        else
        {
            builder.Services.AddAuthentication();
            // Same policy name in every mode, so the endpoint wiring does not depend on it.
            builder.Services.AddAuthorizationBuilder().AddPolicy(McpCallerPolicy, policy => policy.RequireAssertion(_ => true));
        }

        return builder;
    }

    public static TBuilder RequireSeedMcpAuthorization<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.RequireAuthorization(McpCallerPolicy);

    private static void AddBearer(IServiceCollection services, string[] requiredScopes)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer()
            // The MCP SDK's handler serves the RFC 9728 metadata document; challenges stay with JwtBearer (see BearerResponses).
            .AddMcp();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ValidatedTokenCache>();
        services.AddSingleton<SigningKeyRefresh>();
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, JwtBearerSetup>();
        services.AddSingleton<IPostConfigureOptions<JwtBearerOptions>, NoLastKnownGoodKeys>();
        services.AddSingleton<IConfigureOptions<McpAuthenticationOptions>, ProtectedResourceMetadataSetup>();

        services.AddAuthorizationBuilder().AddPolicy(McpCallerPolicy, policy =>
        {
            policy.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser();
            if (requiredScopes.Length > 0)
            {
                policy.RequireAssertion(context => TokenScopes.Missing(context.User, requiredScopes).Count == 0);
            }
        });
    }

    /// <summary>Says once, at startup, how callers are authenticated.</summary>
    private sealed class AuthModeAnnouncement(AuthSetup setup, IOptions<AuthOptions> options, ILogger<AuthOptions> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var auth = options.Value;
            switch (setup.Mode)
            {
                case AuthMode.Bearer:
                    var requiredScopes = string.Join(' ', auth.RequiredScopes);
                    AuthLog.BearerEnabled(logger, auth.Authority!, auth.Audience!, requiredScopes);
                    break;
                case AuthMode.Disabled:
                    AuthLog.AuthDisabled(logger);
                    break;
                default:
                    AuthLog.AuthNotConfigured(logger);
                    break;
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
