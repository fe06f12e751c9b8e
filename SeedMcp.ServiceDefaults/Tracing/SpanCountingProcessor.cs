using System.Diagnostics;
using OpenTelemetry;

namespace SeedMcp.ServiceDefaults;

/// <summary>Counts every sampled span as it starts and ends (<c>tracing_spans_active</c>, <c>tracing_spans_total{operation}</c>).</summary>
internal sealed class SpanCountingProcessor(TracingHealthMetrics metrics) : BaseProcessor<Activity>
{
    /// <summary>
    /// ASP.NET Core's request spans are left out of the open-span gauge: health probes and scrapes are filtered out
    /// after their span has started, and a filtered span never reports its end. They cannot leak anyway.
    /// </summary>
    private const string AspNetCoreSource = "Microsoft.AspNetCore";

    public override void OnStart(Activity data)
    {
        if (data.Source.Name != AspNetCoreSource)
        {
            metrics.SpanStarted();
        }
    }

    public override void OnEnd(Activity data) => metrics.SpanEnded(data.DisplayName, open: data.Source.Name != AspNetCoreSource);
}
