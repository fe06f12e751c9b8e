using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Metrics about the traces themselves, named as the seed names them: <c>tracing_spans_total{operation}</c> counts
/// finished, sampled spans; <c>tracing_spans_active</c> those started but not ended (a leak makes it climb); <c>tracing_errors_total{reason,destination}</c> counts spans lost on the way out
/// (<c>export_failed</c>: the destination refused or could not be reached; <c>dropped</c>: the export queue was full).
/// </summary>
public sealed class TracingHealthMetrics
{
    public const string MeterName = "SeedMcp.TracingHealth";

    private readonly Counter<long> _spans;
    private readonly Counter<long> _errors;
    private readonly UpDownCounter<long> _active;

    public TracingHealthMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _spans = meter.CreateCounter<long>("tracing.spans", "{span}", "Finished spans that were sampled, by operation (span name).");
        _errors = meter.CreateCounter<long>("tracing.errors", "{span}", "Spans that did not reach a trace destination, by reason.");
        _active = meter.CreateUpDownCounter<long>("tracing.spans.active", "{span}", "Sampled spans started and not yet ended: flat over time, or a span leaks.");
    }

    public void SpanStarted() => _active.Add(1);

    /// <param name="open">Whether the span was counted as open when it started.</param>
    public void SpanEnded(string operation, bool open)
    {
        if (open)
        {
            _active.Add(-1);
        }

        _spans.Add(1, new KeyValuePair<string, object?>("operation", operation));
    }

    public void SpansLost(string reason, string destination, long count)
    {
        if (count > 0)
        {
            _errors.Add(count, new TagList { { "reason", reason }, { "destination", destination } });
        }
    }
}
