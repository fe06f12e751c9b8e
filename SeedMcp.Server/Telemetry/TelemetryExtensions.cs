using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SeedMcp.ServiceDefaults;

namespace SeedMcp.Server.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>
    /// The one place SeedMcp.Server subscribes to telemetry: every ActivitySource and Meter of
    /// <see cref="SeedMcpTelemetry"/>, the privacy settings, and the corrections made to the MCP SDK's spans.
    /// </summary>
    public static IHostApplicationBuilder AddSeedMcpTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryPrivacyOptions>()
            .BindConfiguration(TelemetryPrivacyOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<TelemetryUserId>();
        builder.Services.AddSingleton<BaggageAttributes>();
        builder.Services.AddSingleton<ISpanEndHandler, CallerMistakeSpans>();
        builder.Services.AddSingleton<ToolMetrics>();

        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(SeedMcpTelemetry.Sources.All));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(SeedMcpTelemetry.Meters.All));
        // Created with the meter provider, so its zero-valued series are there from the first collection on.
        builder.Services.ConfigureOpenTelemetryMeterProvider((services, _) => services.GetRequiredService<ToolMetrics>());
        return builder;
    }
}
