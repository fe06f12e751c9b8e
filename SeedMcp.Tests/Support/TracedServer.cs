using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace SeedMcp.Tests.Support;

/// <summary>The real server on Kestrel with every finished span captured in memory (OpenTelemetry's in-memory exporter).</summary>
public sealed class TracedServer : IAsyncDisposable
{
    private readonly List<Activity> _exported = [];

    private TracedServer()
    {
    }

    public ServerHost Host { get; private set; } = null!;

    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_exported)
            {
                return [.. _exported];
            }
        }
    }

    public static async Task<TracedServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var server = new TracedServer();
        server.Host = await ServerHost.StartAsync(settings, services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing =>
                tracing.AddProcessor(new SimpleActivityExportProcessor(new LockedListExporter(server._exported))));
            configure?.Invoke(services);
        });
        return server;
    }

    /// <summary>The first finished span matching <paramref name="match"/>, waiting for it to end.</summary>
    public Task<Activity> SpanAsync(Func<Activity, bool> match, string what) =>
        Eventually.GetAsync(() => Spans.FirstOrDefault(match), what);

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    /// <summary>The in-memory exporter's list is not thread-safe; Kestrel ends spans on many threads.</summary>
    private sealed class LockedListExporter(List<Activity> target) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            lock (target)
            {
                foreach (var activity in batch)
                {
                    target.Add(activity);
                }
            }

            return ExportResult.Success;
        }
    }
}
