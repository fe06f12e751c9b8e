using System.Diagnostics;

namespace SeedMcp.ServiceDefaults;

/// <summary>How traces are decided and let go: at the end of their last root, early at the bound, or by the sweep.</summary>
internal sealed partial class TailSamplingProcessor
{
    /// <summary>Whether holding <paramref name="spans"/> more spans and <paramref name="bytes"/> more bytes would pass the bound.</summary>
    private bool WouldExceed(long spans, long bytes) => _heldSpans + spans > _maxSpans || _heldBytes + bytes > _maxBytes;

    private static string Outcome(PendingTrace trace) =>
        trace.HasError ? TailSamplingMetrics.KeptError
        : trace.Slow ? TailSamplingMetrics.KeptSlow
        : trace.HeadSampled ? TailSamplingMetrics.KeptHead
        : TailSamplingMetrics.Dropped;

    /// <summary>The decision for a trace whose roots have not all ended: an error or the head decision keeps it.</summary>
    private static string EarlyOutcome(PendingTrace trace) =>
        trace.HasError ? TailSamplingMetrics.KeptError
        : trace.HeadSampled ? TailSamplingMetrics.KeptHead
        : TailSamplingMetrics.Dropped;

    /// <summary>The only root left is one withdrawn after it started (a probe, a request continued under its caller's context): it never ends here.</summary>
    private static bool Withdrawn(PendingTrace trace) => !trace.Root.IsAllDataRequested && trace.OpenRoots <= 1;

    /// <summary>Counts the decision and lets go of the held spans: returned to be exported when kept, else null.</summary>
    private List<Activity>? Release(PendingTrace trace, string outcome)
    {
        var spans = trace.Spans!;
        trace.Spans = null;
        _heldSpans -= spans.Count;
        _heldBytes -= trace.Bytes;
        trace.Bytes = 0;
        _metrics.Decided(outcome);
        if (outcome == TailSamplingMetrics.Dropped)
        {
            return null;
        }

        foreach (var span in spans)
        {
            MarkKept(span);
        }

        return spans;
    }

    /// <summary>
    /// Export processors pass on recorded spans only, so a kept span is recorded from here on, whatever its head
    /// decision. Set under the lock, before the trace can be forgotten: a child that starts later takes its sampled
    /// flag from such a parent, and so follows the decision too.
    /// </summary>
    private static void MarkKept(Activity span) => span.ActivityTraceFlags |= ActivityTraceFlags.Recorded;

    /// <summary>Decides before the root ends; the trace stays known (on the decided list) so its later spans follow.</summary>
    private void DecideEarly(PendingTrace trace, string outcome, ref List<Activity>? release)
    {
        var held = trace.Spans!.Count;
        if (Release(trace, outcome) is { } kept)
        {
            trace.Verdict = TraceVerdict.Kept;
            (release ??= []).AddRange(kept);
        }
        else
        {
            trace.Verdict = TraceVerdict.Dropped;
            trace.Discarded = held;
        }

        _undecided.Remove(trace.Node!);
        _decided.AddLast(trace.Node!);
    }

    private void Forget(PendingTrace trace)
    {
        if (trace.Spans is { } spans)
        {
            _heldSpans -= spans.Count;
            _heldBytes -= trace.Bytes;
            trace.Spans = null;
        }

        _traces.Remove(trace.Root.TraceId);
        trace.Node!.List?.Remove(trace.Node);
        _heldBytes -= PendingTrace.OwnBytes;
    }

    /// <summary>At the bound: the oldest undecided traces holding spans are decided now, then bookkeeping is let go.</summary>
    private List<Activity>? MakeRoom(long spans, long bytes)
    {
        List<Activity>? release = null;
        for (var node = _undecided.First; node is not null && WouldExceed(spans, bytes);)
        {
            var next = node.Next;
            if (node.Value.Spans is { Count: > 0 })
            {
                DecideEarly(node.Value, EarlyOutcome(node.Value), ref release);
            }

            node = next;
        }

        // Only bookkeeping is left over the bound (a flood of requests holding nothing yet): forget the oldest
        // traces; their later spans follow their own head decision.
        while (WouldExceed(spans, bytes) && (_decided.First ?? _undecided.First) is { } oldest)
        {
            if (oldest.Value.Verdict == TraceVerdict.Kept)
            {
                // Kept, but its spans still open were not sampled at their start: they now end unexported.
                _metrics.LostToFullBuffer(oldest.Value.OpenUnsampled);
            }

            Forget(oldest.Value);
        }

        return release;
    }

    private void Sweep()
    {
        List<Activity>? release = null;
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            for (var node = _undecided.First; node is not null;)
            {
                var next = node.Next;
                var trace = node.Value;
                if (_time.GetElapsedTime(trace.StartedAt, now) < _slow)
                {
                    // Oldest first: the rest are younger still.
                    break;
                }

                if (Withdrawn(trace))
                {
                    // Nothing of a withdrawn root is exported.
                    if (trace.Spans is { Count: > 0 })
                    {
                        Release(trace, TailSamplingMetrics.Dropped);
                    }

                    Forget(trace);
                }
                else
                {
                    // Running longer than the threshold: slow, whatever comes.
                    DecideEarly(trace, TailSamplingMetrics.KeptSlow, ref release);
                }

                node = next;
            }

            for (var node = _decided.First; node is not null;)
            {
                var next = node.Next;
                var trace = node.Value;
                var age = _time.GetElapsedTime(trace.StartedAt, now);
                if (Withdrawn(trace) || age >= MaxDecidedAge)
                {
                    Forget(trace);
                }
                else if (trace.OpenRoots > 0 && trace.Verdict == TraceVerdict.Dropped && age >= _slow)
                {
                    // Dropped early at a full buffer, and slow after all: what was discarded is lost.
                    _metrics.LostToFullBuffer(trace.Discarded);
                    trace.Discarded = 0;
                    trace.Verdict = TraceVerdict.Kept;
                }

                node = next;
            }
        }

        Export(release);
    }
}
