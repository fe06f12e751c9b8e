using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace SeedMcp.Server.Telemetry;

/// <summary>
/// Client spans around SeedMcp's own Redis commands, following the OpenTelemetry database conventions
/// (<c>db.system.name=redis</c>, <c>db.operation.name</c>, <c>server.address</c>/<c>server.port</c>).
/// </summary>
/// <remarks>
/// They replace the StackExchange.Redis OpenTelemetry instrumentation (Aspire's <c>DisableTracing</c> is set), which
/// records a profile of every command and turns the profiles into spans on a background poll: measured on the full
/// stack, that poll's bursts alone doubled the 99th-percentile latency, its backlog held ~50 MB, and the spans reached
/// the backend seconds after the rest of their trace. These spans are part of their request and end with the call.
/// A command with no recorded span around it (background probes) gets no span: it would be a trace of its own.
/// </remarks>
internal static class RedisCommandSpans
{
    private static readonly ConditionalWeakTable<IConnectionMultiplexer, ServerTags> Servers = [];

    public static async Task<T> TraceAsync<T>(IConnectionMultiplexer redis, string operation, string spanName, Func<Task<T>> command)
    {
        using var span = Start(redis, operation, spanName);
        try
        {
            return await command();
        }
        catch (Exception exception)
        {
            span?.RecordFailure(exception);
            throw;
        }
    }

    private static Activity? Start(IConnectionMultiplexer redis, string operation, string spanName)
    {
        // Recorded work, sampled or not: with tail sampling an unsampled request is recorded and may still be kept.
        if (Activity.Current is not { IsAllDataRequested: true })
        {
            return null;
        }

        var span = SeedMcpActivitySources.Redis.StartActivity(spanName, ActivityKind.Client);
        if (span is { IsAllDataRequested: true })
        {
            var server = Servers.GetValue(redis, ServerTags.Of);
            span.SetTag(SeedMcpTelemetry.Redis.SystemAttribute, SeedMcpTelemetry.Redis.SystemName);
            span.SetTag(SeedMcpTelemetry.Redis.OperationAttribute, operation);
            span.SetTag(SeedMcpTelemetry.Redis.ServerAddressAttribute, server.Address);
            span.SetTag(SeedMcpTelemetry.Redis.ServerPortAttribute, server.Port);
        }

        return span;
    }

    /// <summary>Where the multiplexer is configured to connect (its first endpoint), worked out once per connection.</summary>
    private sealed record ServerTags(string? Address, object? Port)
    {
        public static ServerTags Of(IConnectionMultiplexer redis) => redis.GetEndPoints().FirstOrDefault() switch
        {
            DnsEndPoint dns => new ServerTags(dns.Host, dns.Port),
            IPEndPoint ip => new ServerTags(ip.Address.ToString(), ip.Port),
            var other => new ServerTags(other?.ToString(), null),
        };
    }
}
