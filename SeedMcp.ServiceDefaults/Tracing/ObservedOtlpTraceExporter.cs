using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;

namespace SeedMcp.ServiceDefaults;

/// <summary>
/// The OTLP trace exporter, counting the spans of every batch it fails to deliver. A subclass rather than a wrapper
/// so the processor hands it the provider's resource (service.name and friends) as it does the stock exporter.
/// </summary>
/// <remarks>
/// While the destination is failing, batches are not serialized and sent at all until a back-off has passed
/// (1 s, doubling up to <see cref="MaxBackoff"/>, reset by the first success): a trace backend that is down then costs
/// less than one that is up, instead of a serialization and a connection attempt per batch. The skipped spans are
/// counted as <c>export_failed</c> like the refused ones.
/// </remarks>
internal sealed class ObservedOtlpTraceExporter(OtlpExporterOptions options, TracingHealthMetrics metrics, string destination)
    : OtlpTraceExporter(options)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(15);

    private TimeSpan _backoff = TimeSpan.Zero;
    private long _retryAt;

    /// <summary>Runs after every batch on the export thread; the processor reports its dropped spans here.</summary>
    public Action? AfterExport { get; set; }

    // Called by the batch processor's single export thread (and at flush/shutdown, which it serializes), so the
    // back-off state needs no locking.
    public override ExportResult Export(in Batch<Activity> activityBatch)
    {
        var result = Stopwatch.GetTimestamp() < _retryAt ? ExportResult.Failure : Send(activityBatch);
        if (result is not ExportResult.Success)
        {
            metrics.SpansLost(TracingHealthMetrics.ExportFailed, destination, activityBatch.Count);
        }

        AfterExport?.Invoke();
        return result;
    }

    private ExportResult Send(in Batch<Activity> activityBatch)
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

        if (result is ExportResult.Success)
        {
            _backoff = TimeSpan.Zero;
        }
        else
        {
            _backoff = _backoff == TimeSpan.Zero ? FirstBackoff : TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, MaxBackoff.Ticks));
            _retryAt = Stopwatch.GetTimestamp() + (long)(_backoff.TotalSeconds * Stopwatch.Frequency);
        }

        return result;
    }
}
