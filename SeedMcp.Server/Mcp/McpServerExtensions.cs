using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using SeedMcp.Server.Auth;
using SeedMcp.Server.RateLimiting;
using SeedMcp.Server.Redis;
using SeedMcp.Server.Sessions;
using SeedMcp.Server.Status;
using SeedMcp.Server.Telemetry;
using SeedMcp.Server.Tools;

namespace SeedMcp.Server.Mcp;

public static class McpServerExtensions
{
    /// <summary>The MCP server, its tools, its session store and its telemetry.</summary>
    public static WebApplicationBuilder AddSeedMcp(this WebApplicationBuilder builder)
    {
        builder.AddSeedMcpTelemetry();
        var redis = builder.AddSeedMcpRedis();
        builder.AddSessionStore(redis);
        builder.Services.AddOptions<McpHttpOptions>()
            .BindConfiguration(McpHttpOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddSeedMcpAuth();
        builder.AddSeedMcpRateLimiting(redis);
        builder.Services.AddSingleton<SystemStatusCollector>();
        builder.Services.AddHostedService<StatusMonitor>();

        builder.Services.AddMcpServer(mcp =>
            {
                mcp.ServerInfo = new() { Name = "SeedMcp", Version = typeof(McpServerExtensions).Assembly.GetName().Version?.ToString() ?? "0.0.0" };
            })
            .WithHttpTransport(http =>
            {
                // Stateful for clients that send initialize (they get an Mcp-Session-Id backed by the session store),
                // stateless for 2026-07-28 clients, which have no sessions at all. Plain Stateful would refuse the
                // latter with -32022 and plain Stateless would never issue a session id.
                http.SessionMode = HttpServerSessionMode.StatefulForInitializeClients;
            })
            // First of the message filters: every message's SDK span gets the client's session id, even one refused later.
            .WithMessageFilters(filters => filters.AddIncomingFilter(McpServerSpanFilter.Create))
            // The tools and the whole tool pipeline (ToolsExtensions).
            .WithSeedMcpTools();

        builder.Services.AddOptions<HttpServerTransportOptions>()
            .Configure<IOptions<McpSessionOptions>>((http, sessions) =>
            {
                // The store decides when a session expires; the SDK's in-process copy need not outlive it
                // (a request after that point restores the session from the store). Obsolete only because the
                // SDK nudges new servers towards stateless; sessions are a requirement here.
#pragma warning disable MCP9006
                http.IdleTimeout = sessions.Value.Ttl;
#pragma warning restore MCP9006
            });

        return builder;
    }

    /// <summary>
    /// The MCP Streamable HTTP endpoint at <see cref="McpEndpoint.Path"/>, under the caller policy and the rate limits.
    /// Adds no middleware: the request pipeline is listed once, in <c>RequestPipeline</c>.
    /// </summary>
    public static WebApplication MapSeedMcp(this WebApplication app)
    {
        app.MapMcp(McpEndpoint.Path).RequireSeedMcpAuthorization().RequireSeedMcpRateLimiting();
        return app;
    }
}
