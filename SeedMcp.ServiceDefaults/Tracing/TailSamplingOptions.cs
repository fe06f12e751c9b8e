using System.ComponentModel.DataAnnotations;

namespace SeedMcp.ServiceDefaults;

/// <summary>
/// In-process tail sampling (section <c>Telemetry:TailSampling</c>): every local trace is recorded and held until its
/// local root ends, then exported whole when it failed, was slow, or the head sampler
/// (<c>OTEL_TRACES_SAMPLER</c>/<c>OTEL_TRACES_SAMPLER_ARG</c>, the caller's sampled flag) chose it; otherwise dropped.
/// </summary>
public sealed class TailSamplingOptions
{
    public const string SectionName = "Telemetry:TailSampling";

    /// <summary>Read at registration, before options exist: whether the sampler and the holding processor are added at all.</summary>
    public const string EnabledKey = SectionName + ":" + nameof(Enabled);

    /// <summary>Off by default. Env <c>Telemetry__TailSampling__Enabled</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>Keep every trace with a span of status ERROR (caller mistakes are not errors). Env <c>Telemetry__TailSampling__KeepErrors</c>.</summary>
    public bool KeepErrors { get; set; } = true;

    /// <summary>Keep every trace whose local root lasted at least this long. Env <c>Telemetry__TailSampling__KeepSlowerThan</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00",
        ErrorMessage = "Telemetry:TailSampling:KeepSlowerThan (env Telemetry__TailSampling__KeepSlowerThan) must be between 00:00:00.001 and 00:10:00, e.g. 00:00:00.500.")]
    public TimeSpan KeepSlowerThan { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Most spans held at once, all traces together. Env <c>Telemetry__TailSampling__MaxHeldSpans</c>.</summary>
    [Range(10, 10_000_000,
        ErrorMessage = "Telemetry:TailSampling:MaxHeldSpans (env Telemetry__TailSampling__MaxHeldSpans) must be between 10 and 10000000, e.g. 20000.")]
    public int MaxHeldSpans { get; set; } = 20_000;

    /// <summary>Most memory the held spans may take, as estimated from their tags and events, in MiB. Env <c>Telemetry__TailSampling__MaxHeldMegabytes</c>.</summary>
    [Range(1, 4096,
        ErrorMessage = "Telemetry:TailSampling:MaxHeldMegabytes (env Telemetry__TailSampling__MaxHeldMegabytes) must be between 1 and 4096, e.g. 8.")]
    public int MaxHeldMegabytes { get; set; } = 8;
}
