using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace SeedMcp.Benchmarks.Otlp;

/// <summary>
/// A real OTLP receiver that keeps nothing: it accepts exports over gRPC (HTTP/2, <c>/…Service/Export</c>) or
/// OTLP/HTTP protobuf (<c>POST /v1/{traces|metrics|logs}</c>), counts bytes, spans and log records per listening port
/// (one port per server under test) and answers success with an empty response. <c>GET /stats</c> on the stats port
/// returns the counts as JSON. Cheaper and easier to count with than the Aspire dashboard, and nothing is dropped
/// for lack of memory however long the run.
/// </summary>
public static class OtlpSink
{
    public const string StatsPath = "/stats";

    /// <param name="httpPorts">Ports that speak OTLP/HTTP (protobuf or JSON) whatever <paramref name="grpc"/> says: for the
    /// TypeScript peer, whose exporter is OTLP/HTTP.</param>
    public static async Task<int> RunAsync(IReadOnlyList<int> ports, bool grpc, IReadOnlyList<int> httpPorts, int statsPort, CancellationToken cancellationToken)
    {
        var stats = ports.Concat(httpPorts).Distinct().ToDictionary(port => port, _ => new EndpointStats());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 256 * 1024 * 1024;
            foreach (var port in stats.Keys)
            {
                kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = grpc && !httpPorts.Contains(port) ? HttpProtocols.Http2 : HttpProtocols.Http1);
            }

            kestrel.Listen(IPAddress.Loopback, statsPort, listen => listen.Protocols = HttpProtocols.Http1);
        });

        var app = builder.Build();
        app.Run(async context =>
        {
            var localPort = context.Connection.LocalPort;
            if (localPort == statsPort)
            {
                EndpointStats[] snapshot;
                lock (stats)
                {
                    snapshot = [.. stats.Values.Select(Copy)];
                }

                await context.Response.WriteAsJsonAsync(stats.Keys.Zip(snapshot).ToDictionary(p => p.First.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Second), cancellationToken);
                return;
            }

            await ReceiveAsync(context, stats[localPort], stats, grpc && !httpPorts.Contains(localPort));
        });

        await app.RunAsync(cancellationToken);
        return 0;
    }

    private static async Task ReceiveAsync(HttpContext context, EndpointStats endpoint, object gate, bool grpc)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var body = await ReadAllAsync(context.Request.Body, context.RequestAborted);
        var json = context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;
        try
        {
            // gRPC frames the message: 1 byte compression flag, 4 bytes big-endian length.
            var payload = grpc && body.Count >= 5 ? body.AsSpan(5) : body.AsSpan();
            lock (gate)
            {
                if (path.Contains("trace", StringComparison.OrdinalIgnoreCase))
                {
                    Count(endpoint.Traces, payload, json, (scope, name) =>
                    {
                        var key = $"{scope} :: {name}";
                        endpoint.SpanNames[key] = endpoint.SpanNames.GetValueOrDefault(key) + 1;
                    });
                }
                else if (path.Contains("metric", StringComparison.OrdinalIgnoreCase))
                {
                    Count(endpoint.Metrics, payload, json, null);
                }
                else if (path.Contains("log", StringComparison.OrdinalIgnoreCase))
                {
                    Count(endpoint.Logs, payload, json, null);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body.Array!);
        }

        if (grpc)
        {
            // An empty Export*ServiceResponse in one uncompressed frame, then grpc-status 0 (OK) as a trailer.
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(new byte[5]);
            context.Response.AppendTrailer("grpc-status", "0");
        }
        else if (json)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{}");
        }
        else
        {
            // An empty Export*ServiceResponse: zero protobuf bytes.
            context.Response.ContentType = "application/x-protobuf";
            context.Response.ContentLength = 0;
        }
    }

    private static void Count(SignalStats signal, ReadOnlySpan<byte> payload, bool json, Action<string, string>? onSpan)
    {
        signal.Requests++;
        signal.Bytes += payload.Length;
        signal.Items += json ? OtlpPayload.CountJsonItems(payload, onSpan) : OtlpPayload.CountItems(payload, onSpan);
    }

    private static async Task<ArraySegment<byte>> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }

            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return new ArraySegment<byte>(buffer, 0, length);
            }

            length += read;
        }
    }

    private static EndpointStats Copy(EndpointStats stats) => new()
    {
        Traces = stats.Traces.Minus(new SignalStats()),
        Metrics = stats.Metrics.Minus(new SignalStats()),
        Logs = stats.Logs.Minus(new SignalStats()),
        SpanNames = new Dictionary<string, long>(stats.SpanNames, StringComparer.Ordinal),
    };
}
