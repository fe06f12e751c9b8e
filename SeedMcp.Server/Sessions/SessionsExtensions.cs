using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using SeedMcp.Server.Redis;
using StackExchange.Redis;

namespace SeedMcp.Server.Sessions;

public static class SessionsExtensions
{
    /// <summary>
    /// Registers the session store: Redis when <paramref name="redis"/> says it is configured (always so under the
    /// AppHost), behind a per-replica <see cref="ReplicaSessionCache"/>; otherwise process memory with one warning at startup.
    /// </summary>
    public static IHostApplicationBuilder AddSessionStore(this IHostApplicationBuilder builder, RedisSetup redis)
    {
        builder.Services.AddOptions<McpSessionOptions>()
            .BindConfiguration(McpSessionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<McpSessionOptions>, McpSessionOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);

        if (!redis.Configured)
        {
            builder.Services.AddSingleton<ISessionStore, InMemorySessionStore>();
            builder.Services.AddHostedService<InMemorySessionStoreWarning>();
        }
        else
        {
            // The connection and keys AddSeedMcpRedis registered.
            builder.Services.AddSingleton<RedisSessionStore>();
            builder.Services.AddSingleton<ISessionStore>(services =>
            {
                // Redis is touched at most once per interval per session and replica; in between, from memory.
                var redisStore = services.GetRequiredService<RedisSessionStore>();
                var redis = services.GetRequiredService<IConnectionMultiplexer>();
                return services.GetRequiredService<IOptions<McpSessionOptions>>().Value.EffectiveTouchInterval > TimeSpan.Zero
                    ? ActivatorUtilities.CreateInstance<ReplicaSessionCache>(services, redisStore, () => redis.IsConnected)
                    : redisStore;
            });
        }

        builder.Services.AddSingleton<ISessionMigrationHandler, StoreSessionMigrationHandler>();
        builder.Services.AddSingleton<InProcessSessionCap>();
        builder.Services.AddSingleton<IConfigureOptions<HttpServerTransportOptions>>(services => services.GetRequiredService<InProcessSessionCap>());
        return builder;
    }

    private sealed class InMemorySessionStoreWarning(ILogger<InMemorySessionStore> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            SessionLog.InMemoryStoreInUse(logger);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
