using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SeedMcp.ServiceDefaults;

/// <summary>
/// Metrics about the traces themselves, named as the seed names them: <c>tracing_spans_total{operation}</c> counts
/// finished, sampled spans; <c>tracing_spans_active</c> those started but not ended (a leak makes it climb);
/// <c>tracing_errors_total{reason,destination}</c> counts spans lost on the way out (<c>export_failed</c>: the
/// destination refused or could not be reached; <c>dropped</c>: the export queue was full; <c>tail_buffer_full</c>: see
/// <see cref="TailSamplingMetrics"/>).
/// </summary>
/// <remarks>
/// The span counts change on every span start and end, so they are kept in memory and read at collection time
/// (<see cref="HotPathCounter"/> and an observable up-down counter) rather than recorded as measurements.
/// </remarks>
public sealed class TracingHealthMetrics
{
    public const string MeterName = "SeedMcp.TracingHealth";

    /// <summary>The <c>reason</c> label of <c>tracing_errors_total</c>.</summary>
    public const string ExportFailed = "export_failed";
    public const string Dropped = "dropped";

    /// <summary>Tail sampling decided a trace before it was complete because its buffer was full, and it was worth keeping.</summary>
    public const string TailBufferFull = "tail_buffer_full";

    private static readonly string[] LossReasons = [ExportFailed, Dropped, TailBufferFull];

    private readonly HotPathCounter _spans;
    private readonly HotPathCounter _errors;
    private long _active;

    public TracingHealthMetrics(IMeterFactory meterFactory, TelemetrySettings settings)
    {
        var meter = meterFactory.Create(MeterName);
        _spans = new HotPathCounter(meter, "tracing.spans", "{span}", "Finished spans that were sampled, by operation (span name).",
            "operation", secondLabel: null, maxSeries: settings.MetricCardinalityLimit);
        _errors = new HotPathCounter(meter, "tracing.errors", "{span}", "Spans that did not reach a trace destination, by reason.",
            "reason", "destination", maxSeries: 16);
        // Every reason for every configured destination exists from startup with the value 0.
        foreach (var destination in settings.TraceDestinations)
        {
            foreach (var reason in LossReasons)
            {
                _errors.StartAtZero(reason, destination);
            }
        }
        meter.CreateObservableUpDownCounter("tracing.spans.active", () => Volatile.Read(ref _active), "{span}",
            "Sampled spans started and not yet ended: flat over time, or a span leaks.");
    }

    public void SpanStarted() => Interlocked.Increment(ref _active);

    /// <param name="open">Whether the span was counted as open when it started.</param>
    public void SpanEnded(string operation, bool open)
    {
        if (open)
        {
            Interlocked.Decrement(ref _active);
        }

        _spans.Increment(operation);
    }

    public void SpansLost(string reason, string destination, long count)
    {
        if (count > 0)
        {
            _errors.Add(reason, destination, count);
        }
    }
}
