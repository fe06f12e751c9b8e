using System.Diagnostics.Metrics;

namespace SeedMcp.ServiceDefaults;

/// <summary>
/// What tail sampling decided and holds, on the tracing-health meter: <c>tracing_tail_decisions_total{outcome}</c>
/// (one per local trace: <c>kept_error</c>, <c>kept_slow</c>, <c>kept_head</c>, <c>dropped</c>),
/// <c>tracing_tail_held_spans</c> and <c>tracing_tail_held_memory_bytes</c> (the estimate the bound is held to).
/// Spans of traces decided early because the buffer was full, that turned out worth keeping, and unsampled spans still
/// open in a kept trace let go at the bound, are counted in <c>tracing_errors_total{reason="tail_buffer_full"}</c>.
/// </summary>
public sealed class TailSamplingMetrics
{
    /// <summary>The <c>outcome</c> label of <c>tracing_tail_decisions_total</c>.</summary>
    public const string KeptError = "kept_error";
    public const string KeptSlow = "kept_slow";
    public const string KeptHead = "kept_head";
    public const string Dropped = "dropped";

    private readonly HotPathCounter _decisions;
    private readonly TracingHealthMetrics _health;
    private readonly IReadOnlyList<string> _destinations;
    private Func<(long Spans, long Bytes)> _held = static () => (0, 0);

    public TailSamplingMetrics(IMeterFactory meterFactory, TracingHealthMetrics health, TelemetrySettings settings)
    {
        _health = health;
        _destinations = settings.TraceDestinations;
        // The tracing-health meter (the factory hands out the same one), already subscribed by ServiceDefaults.
        var meter = meterFactory.Create(TracingHealthMetrics.MeterName);
        _decisions = new HotPathCounter(meter, "tracing.tail.decisions", "{trace}",
            "Local traces decided by tail sampling, by outcome (kept_error, kept_slow, kept_head, dropped).", "outcome", secondLabel: null, maxSeries: 8);
        foreach (var outcome in new[] { KeptError, KeptSlow, KeptHead, Dropped })
        {
            _decisions.StartAtZero(outcome);
        }

        meter.CreateObservableUpDownCounter("tracing.tail.held_spans", () => _held().Spans, "{span}",
            "Spans tail sampling holds until their trace is decided.");
        meter.CreateObservableUpDownCounter("tracing.tail.held.memory", () => _held().Bytes, "By",
            "Estimated memory of the spans tail sampling holds.");
    }

    /// <summary>Where the gauges read from: the one processor that holds spans.</summary>
    internal void Observe(Func<(long Spans, long Bytes)> held) => _held = held;

    public void Decided(string outcome) => _decisions.Increment(outcome);

    /// <summary>Spans that did not reach any destination because their trace was decided before it was complete.</summary>
    public void LostToFullBuffer(long spans)
    {
        foreach (var destination in _destinations)
        {
            _health.SpansLost(TracingHealthMetrics.TailBufferFull, destination, spans);
        }
    }
}
