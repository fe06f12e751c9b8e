using System.Diagnostics;
using System.Runtime.CompilerServices;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace SeedMcp.ServiceDefaults;

/// <summary>
/// The stock batch processor (bounded queue, background export), reporting the spans it drops when the queue is full
/// into <c>tracing_errors_total{reason="dropped"}</c>. OpenTelemetry keeps that count internal
/// (<c>BatchExportProcessor.DroppedCount</c>), so it is read through an UnsafeAccessor after each export and at
/// shutdown; if a future OpenTelemetry renames it, dropped spans simply stop being counted.
/// </summary>
internal sealed class ObservedBatchExportProcessor : BatchActivityExportProcessor
{
    private readonly TracingHealthMetrics _metrics;
    private readonly string _destination;
    private long _reportedDropped;
    private bool _canReadDropped = true;

    private ObservedBatchExportProcessor(ObservedOtlpTraceExporter exporter, BatchExportActivityProcessorOptions options, TracingHealthMetrics metrics, string destination)
        : base(exporter, options.MaxQueueSize, options.ScheduledDelayMilliseconds, options.ExporterTimeoutMilliseconds, options.MaxExportBatchSize)
    {
        _metrics = metrics;
        _destination = destination;
        exporter.AfterExport = ReportDropped;
    }

    /// <summary>An OTLP export pipeline to one destination whose losses are counted.</summary>
    public static ObservedBatchExportProcessor Create(
        OtlpExporterOptions exporterOptions, BatchExportActivityProcessorOptions batchOptions, TracingHealthMetrics metrics, string destination) =>
        new(new ObservedOtlpTraceExporter(exporterOptions, metrics, destination), batchOptions, metrics, destination);

    /// <summary>Reports drops since the last call: after every exported batch and at shutdown.</summary>
    private void ReportDropped()
    {
        if (!_canReadDropped)
        {
            return;
        }

        try
        {
            var dropped = DroppedCountAccessor<Activity>.DroppedCount(this);
            var previous = Interlocked.Exchange(ref _reportedDropped, dropped);
            _metrics.SpansLost(TracingHealthMetrics.Dropped, _destination, dropped - previous);
        }
        catch (Exception exception) when (exception is MissingMethodException or InvalidProgramException)
        {
            _canReadDropped = false;
        }
    }

    protected override bool OnForceFlush(int timeoutMilliseconds)
    {
        var flushed = base.OnForceFlush(timeoutMilliseconds);
        ReportDropped();
        return flushed;
    }

    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        var shutdown = base.OnShutdown(timeoutMilliseconds);
        ReportDropped();
        return shutdown;
    }
}

/// <summary>Generic like its target, with the same constraint, as UnsafeAccessor requires for members of generic types.</summary>
internal static class DroppedCountAccessor<T> where T : class
{
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_DroppedCount")]
    public static extern long DroppedCount(BatchExportProcessor<T> processor);
}
