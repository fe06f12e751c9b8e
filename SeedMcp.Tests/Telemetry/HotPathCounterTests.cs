using System.Diagnostics.Metrics;
using SeedMcp.ServiceDefaults;

namespace SeedMcp.Tests.Telemetry;

/// <summary>The in-memory counter behind tracing_spans_total and seedmcp_tool_calls_total, read as a meter listener reads it.</summary>
public sealed class HotPathCounterTests
{
    [Fact]
    public void Totals_are_reported_per_label_set_at_collection_time()
    {
        using var meter = new Meter($"test.{Guid.NewGuid():N}");
        var counter = new HotPathCounter(meter, "calls", "{call}", "test", "tool", "outcome", maxSeries: 10);

        counter.Increment("echo", "ok");
        counter.Increment("echo", "ok");
        counter.Increment("echo", "error");
        counter.Increment("system_status", "ok");

        var observed = Collect(meter);
        Assert.Equal(2, observed["tool=echo,outcome=ok"]);
        Assert.Equal(1, observed["tool=echo,outcome=error"]);
        Assert.Equal(1, observed["tool=system_status,outcome=ok"]);
        Assert.Equal(3, observed.Count);
    }

    [Fact]
    public void Label_sets_beyond_the_limit_are_counted_in_one_overflow_series()
    {
        using var meter = new Meter($"test.{Guid.NewGuid():N}");
        var counter = new HotPathCounter(meter, "spans", "{span}", "test", "operation", secondLabel: null, maxSeries: 2);

        foreach (var operation in new[] { "a", "b", "c", "d", "a" })
        {
            counter.Increment(operation);
        }

        var observed = Collect(meter);
        Assert.Equal(2, observed["operation=a"]);
        Assert.Equal(1, observed["operation=b"]);
        Assert.Equal(2, observed["otel.metric.overflow=True"]);
        Assert.Equal(3, observed.Count);
    }

    private static Dictionary<string, long> Collect(Meter meter)
    {
        var observed = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            observed[string.Join(',', tags.ToArray().Select(tag => $"{tag.Key}={tag.Value}"))] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return observed;
    }
}
