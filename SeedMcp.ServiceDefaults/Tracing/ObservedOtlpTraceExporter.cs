using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The OTLP trace exporter, counting the spans of every batch it fails to deliver. A subclass rather than a wrapper
/// so the processor hands it the provider's resource (service.name and friends) as it does the stock exporter.
/// </summary>
internal sealed class ObservedOtlpTraceExporter(OtlpExporterOptions options, TracingHealthMetrics metrics, string destination)
    : OtlpTraceExporter(options)
{
    /// <summary>Runs after every batch on the export thread; the processor reports its dropped spans here.</summary>
    public Action? AfterExport { get; set; }

    public override ExportResult Export(in Batch<Activity> activityBatch)
    {
        ExportResult result;
        try
        {
            result = base.Export(activityBatch);
        }
        catch (Exception)
        {
            // An exporter must never take the process down; the batch is lost and counted.
            result = ExportResult.Failure;
        }

        if (result is not ExportResult.Success)
        {
            metrics.SpansLost("export_failed", destination, activityBatch.Count);
        }

        AfterExport?.Invoke();
        return result;
    }
}
