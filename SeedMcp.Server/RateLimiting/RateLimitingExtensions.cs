using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SeedMcp.Server.Redis;
using SeedMcp.Server.Telemetry;

namespace SeedMcp.Server.RateLimiting;

public static class RateLimitingExtensions
{
    /// <summary>
    /// ASP.NET Core's rate limiter with a per-caller and a global limit on <c>/mcp</c>: decided in Redis in one round
    /// trip when <paramref name="redis"/> says Redis is configured (as for sessions), by in-process sliding windows otherwise.
    /// </summary>
    public static IHostApplicationBuilder AddSeedMcpRateLimiting(this IHostApplicationBuilder builder, RedisSetup redis)
    {
        builder.Services.AddOptions<RateLimitingOptions>()
            .BindConfiguration(RateLimitingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RateLimitTelemetry>();
        builder.Services.AddSingleton<RateLimitRejection>();

        if (!redis.Configured)
        {
            builder.Services.AddSingleton<McpRateLimiter, InProcessMcpRateLimiter>();
        }
        else
        {
            // The connection and keys AddSeedMcpRedis registered (Aspire's Redis client).
            builder.Services.AddSingleton<McpRateLimiter, RedisMcpRateLimiter>();
        }

        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>()
            .Configure<McpRateLimiter, RateLimitRejection>(Configure);
        builder.Services.AddHostedService<RateLimitingAnnouncement>();
        return builder;
    }

    /// <summary>Puts the endpoint under the per-caller and global limits.</summary>
    public static TBuilder RequireSeedMcpRateLimiting<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(McpRateLimitedEndpoint.Instance);

    private static void Configure(RateLimiterOptions limiter, McpRateLimiter limits, RateLimitRejection rejection)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.OnRejected = rejection.WriteAsync;
        limiter.GlobalLimiter = limits;
    }

    /// <summary>Says once, at startup, which limits apply and where they are counted.</summary>
    private sealed class RateLimitingAnnouncement(
        IOptions<RateLimitingOptions> options, McpRateLimiter limiter, ILogger<RateLimitingOptions> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var settings = options.Value;
            if (settings.Enabled)
            {
                RateLimitingLog.Enabled(logger, settings.PermitLimit, settings.GlobalPermitLimit, settings.Window, limiter.Store);
            }
            else
            {
                RateLimitingLog.Disabled(logger);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
