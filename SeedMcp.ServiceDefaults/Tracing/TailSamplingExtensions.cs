using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace SeedMcp.ServiceDefaults;

/// <summary>
/// Registration of in-process tail sampling (<see cref="TailSamplingOptions"/>): the sampler that records every span
/// while remembering the head decision, the holding processor, and <see cref="AddExportProcessor"/>, through which
/// every span-exporting processor joins the pipeline so that it sits behind the holding processor when that is on.
/// </summary>
public static class TailSamplingExtensions
{
    /// <summary>
    /// Binds and validates the options and, when <c>Telemetry:TailSampling:Enabled</c>, adds the sampler and the holding
    /// processor. Call after the processors that adjust or count spans (span-end handlers: caller mistakes lose their
    /// ERROR status before the buffer looks at it) and before the export processors are resolved.
    /// </summary>
    public static IOpenTelemetryBuilder AddTailSampling(this IOpenTelemetryBuilder openTelemetry, IConfiguration configuration)
    {
        openTelemetry.Services.AddOptions<TailSamplingOptions>()
            .BindConfiguration(TailSamplingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        openTelemetry.Services.AddSingleton<TraceExportStage>();
        if (!configuration.GetValue<bool>(TailSamplingOptions.EnabledKey))
        {
            return openTelemetry;
        }

        openTelemetry.Services.AddSingleton<TailSamplingMetrics>();
        return openTelemetry.WithTracing(tracing => tracing
            // Whatever OTEL_TRACES_SAMPLER chose (or SetSampler), its Drop becomes RecordOnly: recorded, flag unset.
            .ConfigureSampler((_, sampler) => new AlwaysRecordSampler(sampler))
            .AddProcessor(services => services.GetRequiredService<TraceExportStage>().TailSampler
                ?? throw new InvalidOperationException($"{TailSamplingOptions.EnabledKey} changed while the service started.")));
    }

    /// <summary>Adds a processor that exports spans: into the pipeline, or behind the tail-sampling buffer when it is on.</summary>
    public static TracerProviderBuilder AddExportProcessor(this TracerProviderBuilder tracing, Func<IServiceProvider, BaseProcessor<Activity>> create) =>
        tracing.AddProcessor(services => services.GetRequiredService<TraceExportStage>().Attach(create(services)));
}

/// <summary>The one owner of where export processors go: the holding processor when tail sampling is on, else the pipeline.</summary>
internal sealed class TraceExportStage
{
    public TraceExportStage(IOptions<TailSamplingOptions> options, IServiceProvider services)
    {
        if (options.Value.Enabled)
        {
            TailSampler = new TailSamplingProcessor(options.Value, services.GetRequiredService<TailSamplingMetrics>());
        }
    }

    public TailSamplingProcessor? TailSampler { get; }

    /// <returns>What the pipeline should hold in the exporter's place.</returns>
    public BaseProcessor<Activity> Attach(BaseProcessor<Activity> export)
    {
        if (TailSampler is null)
        {
            return export;
        }

        TailSampler.Attach(export);
        return new TailSamplingProcessor.NoSpans();
    }
}
