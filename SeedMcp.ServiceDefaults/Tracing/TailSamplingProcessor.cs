using System.Diagnostics;
using OpenTelemetry;

namespace SeedMcp.ServiceDefaults;

/// <summary>
/// Holds the finished spans of every local trace until its local roots end (the spans of the trace that started here
/// without a local parent: the HTTP server span of a request), then hands the whole trace to the export
/// processors behind it when a span failed, the root was slow, or the head sampler chose the root; otherwise drops it.
/// </summary>
/// <remarks>
/// <para>
/// The sampler in front (<see cref="AlwaysRecordSampler"/> around the configured one) records every span; the head
/// decision stays in each span's <see cref="Activity.Recorded"/> flag, which is also what goes out in
/// <c>traceparent</c> to the services this one calls. A kept span gets the flag as it is handed on.
/// </para>
/// <para>
/// A decided trace is remembered until every span of it that started here has ended, so a child that ends after the
/// last root (the MCP SDK's span, on a stateful session's own loop) follows the decision however late it ends; no
/// grace period to race with. A child that starts after the trace is forgotten follows its parent's sampled flag,
/// which a kept span has by then.
/// </para>
/// <para>
/// Bounded: at most <see cref="TailSamplingOptions.MaxHeldSpans"/> spans and <see cref="TailSamplingOptions.MaxHeldMegabytes"/>
/// (estimated) are held. Beyond that the oldest undecided traces are decided at once on what is known (an error or
/// the head decision keeps them), and a trace dropped that way which then fails or turns slow has its discarded spans
/// counted in <c>tracing_errors_total{reason="tail_buffer_full"}</c>. A trace whose root has run longer than the slow
/// threshold is slow whatever comes, so a sweep keeps it and sends its later spans straight on: nothing is held
/// longer than the threshold (plus a sweep period), whether or not its root ever ends (an abandoned SSE stream).
/// </para>
/// <para>
/// A <see cref="CompositeProcessor{T}"/> so the SDK hands its resource to the export processors behind it and
/// flushes and shuts them down, though only this class calls their <c>OnEnd</c>. No OpenTelemetry .NET package
/// does tail sampling in process (the Collector's <c>tail_sampling</c> needs a tier of its own), hence this class.
/// </para>
/// </remarks>
internal sealed partial class TailSamplingProcessor : CompositeProcessor<Activity>
{
    /// <summary>A decided trace with spans still open is remembered this long at most (a span that never ends cannot pin it).</summary>
    private static readonly TimeSpan MaxDecidedAge = TimeSpan.FromMinutes(5);

    private readonly object _gate = new();
    private readonly Dictionary<ActivityTraceId, PendingTrace> _traces = [];
    private readonly LinkedList<PendingTrace> _undecided = new();
    private readonly LinkedList<PendingTrace> _decided = new();
    private readonly TailSamplingMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly bool _keepErrors;
    private readonly TimeSpan _slow;
    private readonly long _maxSpans;
    private readonly long _maxBytes;
    private readonly ITimer _sweeper;
    private BaseProcessor<Activity>[] _exports = [];
    private long _heldSpans;
    private long _heldBytes;

    public TailSamplingProcessor(TailSamplingOptions options, TailSamplingMetrics metrics, TimeProvider? time = null)
        : base([new NoSpans()])
    {
        _metrics = metrics;
        _time = time ?? TimeProvider.System;
        _keepErrors = options.KeepErrors;
        _slow = options.KeepSlowerThan;
        _maxSpans = options.MaxHeldSpans;
        _maxBytes = options.MaxHeldMegabytes * 1024L * 1024L;
        metrics.Observe(() => (Volatile.Read(ref _heldSpans), Volatile.Read(ref _heldBytes)));
        var period = TimeSpan.FromTicks(Math.Clamp(_slow.Ticks / 4, TimeSpan.FromMilliseconds(5).Ticks, TimeSpan.FromMilliseconds(250).Ticks));
        _sweeper = _time.CreateTimer(static state => ((TailSamplingProcessor)state!).Sweep(), this, period, period);
    }

    /// <summary>Puts an export processor behind the buffer; called while the provider is built, before any span.</summary>
    public void Attach(BaseProcessor<Activity> export)
    {
        AddProcessor(export);
        _exports = [.. _exports, export];
    }

    public override void OnStart(Activity data)
    {
        var root = data.Parent is null;
        var startedAt = root ? _time.GetTimestamp() : 0;
        List<Activity>? release = null;
        lock (_gate)
        {
            if (_traces.TryGetValue(data.TraceId, out var known))
            {
                known.OpenSpans++;
                known.OpenUnsampled += data.Recorded ? 0 : 1;
                if (!root)
                {
                    return;
                }

                if (known.OpenRoots <= 0 && known.Verdict != TraceVerdict.Pending)
                {
                    // The caller's next request in a trace whose earlier part is decided (a child of it still open).
                    known.Reopen(data, startedAt);
                    known.Node!.List!.Remove(known.Node);
                    _undecided.AddLast(known.Node);
                    return;
                }

                // Another root of a trace already started here (the MCP SDK's span under a params._meta parent, or a
                // concurrent request of the same caller's trace): the trace waits for it too.
                known.OpenRoots++;
                known.HeadSampled |= data.Recorded;
                return;
            }

            if (!root)
            {
                // A child of a trace not known (any more): its head decision stands; it was taken from the parent's
                // sampled flag, which a kept parent has by now.
                return;
            }

            // Room first, then the addition: the bound holds at every moment the gauges can read it.
            if (WouldExceed(0, PendingTrace.OwnBytes))
            {
                release = MakeRoom(0, PendingTrace.OwnBytes);
            }

            var trace = new PendingTrace(data, startedAt);
            _traces.Add(data.TraceId, trace);
            trace.Node = _undecided.AddLast(trace);
            _heldBytes += PendingTrace.OwnBytes;
        }

        Export(release);
    }

    public override void OnEnd(Activity data)
    {
        List<Activity>? release = null;
        var exportThis = false;
        lock (_gate)
        {
            if (!_traces.TryGetValue(data.TraceId, out var trace))
            {
                // A trace not started here, or already decided and forgotten: the span's own head decision stands.
                exportThis = data.Recorded;
            }
            else
            {
                trace.OpenSpans--;
                trace.OpenUnsampled -= data.Recorded ? 0 : 1;
                if (_keepErrors && data.Status == ActivityStatusCode.Error)
                {
                    trace.HasError = true;
                }

                var last = false;
                if (data.Parent is null)
                {
                    trace.OpenRoots--;
                    trace.Slow |= data.Duration >= _slow;
                    last = trace.OpenRoots <= 0;
                }

                switch (trace.Verdict)
                {
                    case TraceVerdict.Pending when last:
                        release = Release(trace, Outcome(trace));
                        if (release is not null)
                        {
                            MarkKept(data);
                            release.Add(data);
                        }

                        trace.Verdict = release is null ? TraceVerdict.Dropped : TraceVerdict.Kept;
                        trace.Node!.List?.Remove(trace.Node);
                        _decided.AddLast(trace.Node);
                        break;
                    case TraceVerdict.Pending:
                        // Only a span that is held is measured (roots and decided traces are not).
                        var bytes = PendingTrace.EstimateBytes(data);
                        if (WouldExceed(1, bytes))
                        {
                            // This trace may be among those decided (or forgotten) to make room: the span then follows.
                            release = MakeRoom(1, bytes);
                        }

                        if (trace.Node!.List is null)
                        {
                            exportThis = data.Recorded;
                        }
                        else if (trace.Verdict == TraceVerdict.Pending)
                        {
                            trace.Spans!.Add(data);
                            trace.Bytes += bytes;
                            _heldSpans++;
                            _heldBytes += bytes;
                        }
                        else if (trace.Verdict == TraceVerdict.Kept)
                        {
                            exportThis = true;
                            MarkKept(data);
                        }
                        else
                        {
                            trace.Discarded++;
                        }

                        break;
                    case TraceVerdict.Kept:
                        exportThis = true;
                        MarkKept(data);
                        break;
                    default:
                        trace.Discarded++;
                        if (last && (trace.HasError || trace.Slow))
                        {
                            // Dropped early at a full buffer, and worth keeping after all: what was discarded is lost,
                            // and what still ends goes out.
                            _metrics.LostToFullBuffer(trace.Discarded);
                            trace.Discarded = 0;
                            trace.Verdict = TraceVerdict.Kept;
                        }

                        break;
                }

                // Decided, and nothing of it is open any more (MakeRoom may have let it go already).
                if (trace.Verdict != TraceVerdict.Pending && trace.OpenRoots <= 0 && trace.OpenSpans <= 0 && trace.Node!.List is not null)
                {
                    Forget(trace);
                }
            }
        }

        if (exportThis)
        {
            Export(data);
        }

        Export(release);
    }

    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        _sweeper.Dispose();
        List<Activity>? release = null;
        lock (_gate)
        {
            // In-flight requests have finished by now (graceful drain); what is still undecided is decided on what is known.
            while (_undecided.First is { } oldest)
            {
                var trace = oldest.Value;
                if (trace.Spans is { Count: > 0 } && Release(trace, EarlyOutcome(trace)) is { } kept)
                {
                    (release ??= []).AddRange(kept);
                }

                Forget(trace);
            }

            while (_decided.First is { } decided)
            {
                Forget(decided.Value);
            }
        }

        Export(release);
        return base.OnShutdown(timeoutMilliseconds);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sweeper.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Export(List<Activity>? spans)
    {
        if (spans is null)
        {
            return;
        }

        foreach (var span in spans)
        {
            Export(span);
        }
    }

    private void Export(Activity span)
    {
        foreach (var export in _exports)
        {
            export.OnEnd(span);
        }
    }

    /// <summary>A processor that does nothing: the composite needs one to start with, and an attached exporter leaves one in its slot.</summary>
    internal sealed class NoSpans : BaseProcessor<Activity>;
}
