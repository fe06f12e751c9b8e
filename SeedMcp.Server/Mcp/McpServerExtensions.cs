using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ModelContextProtocol.AspNetCore;
using SeedMcp.Server.Auth;
using SeedMcp.Server.RateLimiting;
using SeedMcp.Server.Sessions;
using SeedMcp.Server.Status;
using SeedMcp.Server.Telemetry;
using SeedMcp.Server.Tools;

namespace SeedMcp.Server.Mcp;

public static class McpServerExtensions
{
    /// <summary>The MCP server, its tools, its session store and its telemetry sources.</summary>
    public static WebApplicationBuilder AddSeedMcp(this WebApplicationBuilder builder)
    {
        builder.AddSessionStore();
        builder.Services.AddOptions<McpHttpOptions>()
            .BindConfiguration(McpHttpOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddSeedMcpAuth();
        builder.AddSeedMcpRateLimiting();
        builder.Services.AddSingleton<RedisProbe>();
        builder.Services.AddSingleton<SystemStatusCollector>();
        builder.Services.AddOptions<TelemetryPrivacyOptions>()
            .BindConfiguration(TelemetryPrivacyOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<TelemetryUserId>();
        builder.Services.AddSingleton<BaggageAttributes>();
        builder.Services.AddSingleton<ISpanEndHandler, CallerMistakeSpans>();
        builder.Services.AddSingleton<ToolTelemetryFilter>();
        builder.Services.AddSingleton<ToolMetrics>();
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
            // Registered first so it is the outermost filter: argument validation failures show on the tool span too.
            .WithRequestFilters(filters => filters.AddCallToolFilter(next => (request, cancellationToken) =>
                request.Services!.GetRequiredService<ToolTelemetryFilter>().InvokeAsync(request, next, cancellationToken)))
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

        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(SeedMcpTelemetry.Sources.All));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(SeedMcpTelemetry.Meters.All));
        // Created with the meter provider, so its zero-valued series are there from the first collection on.
        builder.Services.ConfigureOpenTelemetryMeterProvider((services, _) => services.GetRequiredService<ToolMetrics>());
        return builder;
    }

    /// <summary>Request guards (origin, media type, size), the caller's trace context from <c>params._meta</c>, authentication, rate limiting, authorization and session tracking, then the MCP Streamable HTTP endpoint at <see cref="McpEndpoint.Path"/>.</summary>
    public static WebApplication MapSeedMcp(this WebApplication app)
    {
        app.UseMiddleware<McpRequestGuard>();
        app.UseMiddleware<McpTraceContextMiddleware>();
        app.UseSeedMcpAuthentication();
        app.UseSeedMcpRateLimiting();
        app.UseAuthorization();
        app.UseSessionTracking();
        app.MapMcp(McpEndpoint.Path).RequireSeedMcpAuthorization().RequireSeedMcpRateLimiting();
        return app;
    }
}
