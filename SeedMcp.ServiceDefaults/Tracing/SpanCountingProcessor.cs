using System.Diagnostics;
using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>Counts every finished, sampled span into <c>tracing_spans_total{operation}</c>.</summary>
internal sealed class SpanCountingProcessor(TracingHealthMetrics metrics) : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data) => metrics.SpanEnded(data.DisplayName);
}
