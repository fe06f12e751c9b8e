using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace SeedMcp.ServiceDefaults;

/// <summary>
/// A monotonic counter with one or two labels for paths taken several times per request (every span, every tool
/// call). Counting is a dictionary lookup and an interlocked increment; the totals are handed to the meter only when
/// metrics are collected. A <see cref="Counter{T}"/> with tags pays an aggregator lookup, and an exemplar offer while a
/// trace is sampled, on every Add: at four spans per call that was a visible share of what tracing cost.
/// </summary>
/// <remarks>
/// Exported exactly like a <see cref="Counter{T}"/> of the same name (Prometheus <c>name_total</c>). Beyond
/// <paramref name="maxSeries"/> distinct label sets, increments land in one series tagged <c>otel.metric.overflow</c>,
/// as OpenTelemetry's own cardinality limit does.
/// </remarks>
public sealed class HotPathCounter
{
    private const string OverflowAttribute = "otel.metric.overflow";

    private readonly ConcurrentDictionary<LabelValues, StrongBox<long>> _counts = new();
    private readonly StrongBox<long> _overflow = new();
    private readonly string _firstLabel;
    private readonly string? _secondLabel;
    private readonly int _maxSeries;

    /// <param name="secondLabel">A second label, or null for a counter with one.</param>
    public HotPathCounter(Meter meter, string name, string unit, string description, string firstLabel, string? secondLabel, int maxSeries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeries, 1);
        _firstLabel = firstLabel;
        _secondLabel = secondLabel;
        _maxSeries = maxSeries;
        meter.CreateObservableCounter(name, Observe, unit, description);
    }

    public void Increment(string value) => Add(new LabelValues(value, null), 1);

    public void Increment(string firstValue, string secondValue) => Add(new LabelValues(firstValue, secondValue), 1);

    public void Add(string firstValue, string secondValue, long count) => Add(new LabelValues(firstValue, secondValue), count);

    /// <summary>
    /// Exports a series known in advance with the value 0 from the first collection on, so dashboards show 0 rather
    /// than "No data" and <c>rate()</c> has a series before the first event.
    /// </summary>
    public void StartAtZero(string firstValue, string? secondValue = null) => Add(new LabelValues(firstValue, secondValue), 0);

    private void Add(LabelValues labels, long increment)
    {
        if (!_counts.TryGetValue(labels, out var count))
        {
            count = _counts.Count < _maxSeries ? _counts.GetOrAdd(labels, static _ => new StrongBox<long>()) : _overflow;
        }

        if (increment != 0)
        {
            Interlocked.Add(ref count.Value, increment);
        }
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        foreach (var (labels, count) in _counts)
        {
            var total = Volatile.Read(ref count.Value);
            yield return _secondLabel is null
                ? new Measurement<long>(total, new KeyValuePair<string, object?>(_firstLabel, labels.First))
                : new Measurement<long>(total,
                    new KeyValuePair<string, object?>(_firstLabel, labels.First),
                    new KeyValuePair<string, object?>(_secondLabel, labels.Second));
        }

        if (Volatile.Read(ref _overflow.Value) is > 0 and var overflow)
        {
            yield return new Measurement<long>(overflow, new KeyValuePair<string, object?>(OverflowAttribute, true));
        }
    }

    private readonly record struct LabelValues(string First, string? Second);
}
