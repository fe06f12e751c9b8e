using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;
using SeedMcp.ServiceDefaults;

namespace SeedMcp.Tests.Telemetry;

/// <summary>
/// <see cref="TailSamplingProcessor"/> in a real tracer provider (head ratio 0, as the live tests run it) on a fake
/// clock, so the orders of span ends that races produce under load are played exactly: above all a child that ends
/// after its trace's last root, as the MCP SDK's <c>tools/call</c> span does on a stateful session.
/// </summary>
public sealed class TailSamplingProcessorTests : IDisposable
{
    private static readonly TimeSpan Slow = TimeSpan.FromMilliseconds(500);

    private readonly FakeTimeProvider _clock = new();
    private readonly ActivitySource _source = new($"{nameof(TailSamplingProcessorTests)}.{Guid.NewGuid():N}");
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly CollectingExporter _exported = new();
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _observed = [];
    private readonly TracerProvider _provider;

    public TailSamplingProcessorTests()
    {
        var meterFactory = _services.GetRequiredService<IMeterFactory>();
        var settings = new TelemetrySettings(true, "test", "1", PrimaryOtlpEndpointConfigured: true, null, null, OtlpExportProtocol.Grpc, false, null, 200);
        var metrics = new TailSamplingMetrics(meterFactory, new TracingHealthMetrics(meterFactory, settings), settings);
        var processor = new TailSamplingProcessor(new TailSamplingOptions { Enabled = true, KeepSlowerThan = Slow, MaxHeldMegabytes = 1 }, metrics, _clock);
        processor.Attach(new SimpleActivityExportProcessor(_exported));
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(_source.Name)
            .SetSampler(new AlwaysRecordSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(0))))
            .AddProcessor(processor)
            .Build();

        // This processor's memory gauge (each trace it remembers counts in it, so 0 means nothing is left behind) and
        // its losses, read from this test's own meter.
        var meter = meterFactory.Create(TracingHealthMetrics.MeterName);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == meter && instrument.Name is "tracing.tail.held.memory" or "tracing.errors")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var reason = string.Empty;
            foreach (var tag in tags)
            {
                reason = tag.Key == "reason" ? (string)tag.Value! : reason;
            }

            _observed[$"{instrument.Name}{reason}"] = value;
        });
        _listener.Start();
    }

    public void Dispose()
    {
        Activity.Current = null;
        _listener.Dispose();
        _provider.Dispose();
        _source.Dispose();
        _services.Dispose();
    }

    [Fact]
    public void A_child_ending_after_the_root_of_a_trace_kept_early_as_slow_follows_the_decision()
    {
        var root = StartRoot(out var traceId);
        var mcp = _source.StartActivity("tools/call echo")!;
        var tool = _source.StartActivity("tool.execute.echo")!;
        tool.Stop();

        // The root runs past the threshold: a sweep keeps the trace as slow before it ends.
        _clock.Advance(Slow * 2);
        root.Stop();
        // Then the SDK ends its span, after the response (and so the HTTP root) is done.
        mcp.Stop();

        Assert.Equal(["POST /mcp", "tool.execute.echo", "tools/call echo"], _exported.NamesOf(traceId));
        Assert.Equal(0, HeldBytes());
    }

    [Fact]
    public void A_child_ending_long_after_the_root_of_a_failed_trace_is_still_exported()
    {
        var root = StartRoot(out var traceId);
        var mcp = _source.StartActivity("tools/call echo")!;
        var tool = _source.StartActivity("tool.execute.echo")!;
        tool.SetStatus(ActivityStatusCode.Error);
        tool.Stop();
        root.Stop();

        // However late the child ends (a loaded machine, a slow session loop), no grace period runs out.
        _clock.Advance(TimeSpan.FromSeconds(30));
        mcp.Stop();

        Assert.Equal(["POST /mcp", "tool.execute.echo", "tools/call echo"], _exported.NamesOf(traceId));
        Assert.Equal(0, HeldBytes());
    }

    [Fact]
    public void A_child_ending_after_the_root_of_a_dropped_trace_is_dropped_and_then_the_trace_is_let_go()
    {
        var root = StartRoot(out var traceId);
        var mcp = _source.StartActivity("tools/call echo")!;
        root.Stop();

        // Remembered while its child is open, so the child follows the decision…
        Assert.True(HeldBytes() > 0);
        mcp.Stop();

        // …and nothing is left once it has ended.
        Assert.Empty(_exported.NamesOf(traceId));
        Assert.Equal(0, HeldBytes());
    }

    [Fact]
    public void The_callers_next_request_in_a_trace_already_decided_is_decided_on_its_own()
    {
        var first = StartRoot(out var traceId);
        var lateChild = _source.StartActivity("tools/call echo")!;
        first.Stop();

        // The caller's next call in the same trace starts while a child of the first, dropped, is still open.
        Activity.Current = null;
        var second = StartRoot(traceId);
        var tool = _source.StartActivity("tool.execute.echo")!;
        tool.SetStatus(ActivityStatusCode.Error);
        tool.Stop();
        second.Stop();
        lateChild.Stop();

        // The failed call arrives whole; the first call, dropped, does not.
        var names = _exported.NamesOf(traceId);
        Assert.Contains("tool.execute.echo", names);
        Assert.Single(names, name => name == "POST /mcp");
        Assert.Equal(0, HeldBytes());
    }

    [Fact]
    public void A_span_that_never_ends_does_not_keep_its_trace_forever()
    {
        var root = StartRoot(out _);
        _ = _source.StartActivity("never ends")!;
        root.Stop();
        Assert.True(HeldBytes() > 0);

        _clock.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal(0, HeldBytes());
    }

    [Fact]
    public void Open_spans_of_a_kept_trace_forgotten_at_the_bound_are_counted_as_lost()
    {
        var root = StartRoot(out var traceId);
        var mcp = _source.StartActivity("tools/call echo")!;
        _clock.Advance(Slow * 2);
        Activity.Current = null;

        // Kept as slow, root and child still open (neither sampled), when a flood of requests that hold nothing yet
        // passes the bound (1 MiB) with bookkeeping alone: the oldest traces are forgotten, this one first.
        var flood = new List<Activity>();
        for (var i = 0; i < 5000; i++)
        {
            flood.Add(StartRoot(out _));
            Activity.Current = null;
        }

        mcp.Stop();
        root.Stop();
        flood.ForEach(request => request.Stop());

        Assert.Empty(_exported.NamesOf(traceId));
        Assert.Equal(2, Observe("tracing.errors" + TracingHealthMetrics.TailBufferFull));
        Assert.Equal(0, HeldBytes());
    }

    /// <summary>An HTTP server span under an unsampled caller, as a request with a <c>traceparent</c> header starts.</summary>
    private Activity StartRoot(out ActivityTraceId traceId)
    {
        traceId = ActivityTraceId.CreateRandom();
        return StartRoot(traceId);
    }

    private Activity StartRoot(ActivityTraceId traceId)
    {
        var caller = new ActivityContext(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);
        var root = _source.StartActivity("POST /mcp", ActivityKind.Server, caller)!;
        Assert.False(root.Recorded);
        return root;
    }

    private long HeldBytes() => Observe("tracing.tail.held.memory");

    private long Observe(string instrumentAndReason)
    {
        _listener.RecordObservableInstruments();
        return _observed.GetValueOrDefault(instrumentAndReason);
    }

    /// <summary>What reaches the export processor behind the buffer.</summary>
    private sealed class CollectingExporter : BaseExporter<Activity>
    {
        private readonly List<(ActivityTraceId TraceId, string Name)> _spans = [];

        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var span in batch)
            {
                _spans.Add((span.TraceId, span.DisplayName));
            }

            return ExportResult.Success;
        }

        public List<string> NamesOf(ActivityTraceId traceId) => [.. _spans.Where(span => span.TraceId == traceId).Select(span => span.Name).Order(StringComparer.Ordinal)];
    }
}
