namespace SeedMcp.Benchmarks.Otlp;

/// <summary>What one OTLP endpoint of the sink has received, per signal.</summary>
public sealed class EndpointStats
{
    public SignalStats Traces { get; set; } = new();

    public SignalStats Metrics { get; set; } = new();

    public SignalStats Logs { get; set; } = new();

    /// <summary>Spans received, by "instrumentation scope :: span name".</summary>
    public Dictionary<string, long> SpanNames { get; set; } = new(StringComparer.Ordinal);

    public EndpointStats Minus(EndpointStats earlier) => new()
    {
        Traces = Traces.Minus(earlier.Traces),
        Metrics = Metrics.Minus(earlier.Metrics),
        Logs = Logs.Minus(earlier.Logs),
        SpanNames = SpanNames.ToDictionary(
            pair => pair.Key, pair => pair.Value - earlier.SpanNames.GetValueOrDefault(pair.Key), StringComparer.Ordinal),
    };
}

/// <summary>Export requests, payload bytes (protobuf, without HTTP or gRPC framing) and items (spans, metrics, log records).</summary>
public sealed class SignalStats
{
    public long Requests { get; set; }

    public long Bytes { get; set; }

    public long Items { get; set; }

    public SignalStats Minus(SignalStats earlier) => new()
    {
        Requests = Requests - earlier.Requests,
        Bytes = Bytes - earlier.Bytes,
        Items = Items - earlier.Items,
    };
}
