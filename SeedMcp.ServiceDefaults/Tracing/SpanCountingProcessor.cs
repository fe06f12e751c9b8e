using System.Diagnostics;
using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>Counts every sampled span as it starts and ends (<c>tracing_spans_active</c>, <c>tracing_spans_total{operation}</c>).</summary>
internal sealed class SpanCountingProcessor(TracingHealthMetrics metrics) : BaseProcessor<Activity>
{
    public override void OnStart(Activity data) => metrics.SpanStarted();

    public override void OnEnd(Activity data) => metrics.SpanEnded(data.DisplayName);
}
