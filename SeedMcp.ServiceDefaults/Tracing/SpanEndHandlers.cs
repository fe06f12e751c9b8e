using System.Diagnostics;
using OpenTelemetry;

namespace SeedMcp.ServiceDefaults;

/// <summary>
/// Adjusts a span as it ends, before any processor counts it or any exporter sees it: a service's way to correct
/// what a library's instrumentation records (register with <c>services.AddSingleton&lt;ISpanEndHandler, T&gt;()</c>).
/// </summary>
public interface ISpanEndHandler
{
    void OnEnd(Activity span);
}

/// <summary>Runs every <see cref="ISpanEndHandler"/>; added ahead of the counting and exporting processors.</summary>
internal sealed class SpanEndHandlersProcessor(ISpanEndHandler[] handlers) : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        foreach (var handler in handlers)
        {
            handler.OnEnd(data);
        }
    }
}
