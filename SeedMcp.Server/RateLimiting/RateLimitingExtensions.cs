using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using SeedMcp.Server.Sessions;
using SeedMcp.Server.Telemetry;

namespace SeedMcp.Server.RateLimiting;

public static class RateLimitingExtensions
{
    /// <summary>
    /// ASP.NET Core's rate limiter with a per-caller and a global sliding window on <c>/mcp</c>, counted in Redis when
    /// <c>ConnectionStrings:cache</c> is set (as for sessions), in process otherwise.
    /// </summary>
    public static IHostApplicationBuilder AddSeedMcpRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitingOptions>()
            .BindConfiguration(RateLimitingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RateLimitTelemetry>();
        builder.Services.AddSingleton<RateLimitRejection>();

        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(SessionsExtensions.RedisConnectionName)))
        {
            builder.Services.AddSingleton<SlidingWindowLimiters, InProcessSlidingWindowLimiters>();
        }
        else
        {
            // The connection AddSessionStore registered (Aspire's Redis client).
            builder.Services.AddSingleton<SlidingWindowLimiters, RedisSlidingWindowLimiters>();
        }

        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>()
            .Configure<SlidingWindowLimiters, RateLimitRejection, IOptions<RateLimitingOptions>>(Configure);
        builder.Services.AddHostedService<RateLimitingAnnouncement>();
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(SeedMcpTelemetry.RateLimiting.MeterName));
        return builder;
    }

    /// <summary>The rate limiter; call after authentication, so callers are known by their subject.</summary>
    public static IApplicationBuilder UseSeedMcpRateLimiting(this IApplicationBuilder app) => app.UseRateLimiter();

    /// <summary>Puts the endpoint under the per-caller and global limits.</summary>
    public static TBuilder RequireSeedMcpRateLimiting<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(McpRateLimitedEndpoint.Instance);

    private static void Configure(
        RateLimiterOptions limiter, SlidingWindowLimiters limiters, RateLimitRejection rejection, IOptions<RateLimitingOptions> options)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.OnRejected = rejection.WriteAsync;
        limiter.GlobalLimiter = McpRateLimits.Create(limiters, options.Value);
    }

    /// <summary>Says once, at startup, which limits apply and where they are counted.</summary>
    private sealed class RateLimitingAnnouncement(
        IOptions<RateLimitingOptions> options, SlidingWindowLimiters limiters, ILogger<RateLimitingOptions> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var settings = options.Value;
            if (settings.Enabled)
            {
                RateLimitingLog.Enabled(logger, settings.PermitLimit, settings.GlobalPermitLimit, settings.Window, limiters.Store);
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
