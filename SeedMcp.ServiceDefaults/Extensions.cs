using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using MsOptions = Microsoft.Extensions.Options.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SeedMcp.ServiceDefaults;

/// <summary>
/// What every SeedMcp service shares: OpenTelemetry (traces, metrics, logs), structured console logs carrying trace
/// ids, health checks, service discovery and HttpClient resilience. Modelled on Aspire's ServiceDefaults template.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    public const string MetricsEndpointPath = "/metrics";

    /// <summary>ASP.NET Core's HTTP server, Kestrel connection and rate-limiting meters.</summary>
    private static readonly string[] AspNetCoreMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting"];

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureStructuredConsoleLogs();
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddGracefulShutdown();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>JSON console logs with traceId/spanId, unless Logging:Console:FormatterName chooses another formatter.</summary>
    public static TBuilder ConfigureStructuredConsoleLogs<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddConsoleFormatter<TraceJsonConsoleFormatter, ConsoleFormatterOptions>();
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.FormatterName ??= TraceJsonConsoleFormatter.FormatterName);
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var settings = TelemetrySettings.From(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(settings);

        if (!settings.Enabled)
        {
            // OTEL_ENABLED=false: no providers, no listeners, no exporter. The service works exactly the same,
            // it just emits nothing.
            return builder;
        }

        builder.Services.AddSingleton<TracingHealthMetrics>();
        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddHostedService<OpenTelemetrySelfDiagnostics>();
        }

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var openTelemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                serviceName: settings.ServiceName,
                serviceVersion: settings.ServiceVersion,
                autoGenerateServiceInstanceId: true))
            .WithMetrics(metrics => metrics
                // Only the ASP.NET Core meters dashboards use: every other one (routing, authorization, memory pool…)
                // costs an update on each request and memory for each stream, for numbers nobody reads.
                .AddMeter(AspNetCoreMeters)
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TracingHealthMetrics.MeterName)
                // Every stream preallocates room for this many label combinations; the default (2000) costs megabytes
                // across a hundred streams, while SeedMcp's labels (tool, route, status, operation) stay far below.
                .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = settings.MetricCardinalityLimit }))
            .WithTracing(tracing => tracing
                .AddSource(HttpServerSpans.SourceName)
                .AddHttpClientInstrumentation(http => http.RecordException = true)
                .AddProcessor(services => new SpanEndHandlersProcessor([.. services.GetServices<ISpanEndHandler>()]))
                .AddProcessor(services => new SpanCountingProcessor(services.GetRequiredService<TracingHealthMetrics>())))
            // After the span-end handlers and the counting, ahead of every exporter (which joins through AddExportProcessor).
            .AddTailSampling(builder.Configuration);

        if (settings.PrometheusEnabled)
        {
            openTelemetry.WithMetrics(metrics => metrics.AddPrometheusExporter());
        }

        AddOtlpExporters(openTelemetry, settings);
        return builder;
    }

    /// <summary>Health probes are polled every few seconds and scrapes every few more; tracing them would drown real traffic.</summary>
    internal static bool IsTracedRequest(HttpContext context) =>
        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath)
        && !context.Request.Path.StartsWithSegments(MetricsEndpointPath);

    private static void AddOtlpExporters(IOpenTelemetryBuilder openTelemetry, TelemetrySettings settings)
    {
        // Per-signal exporters rather than UseOtlpExporter: OpenTelemetry 1.20 refuses to start when both are used,
        // and only per-signal wiring lets a second trace destination (Jaeger) sit beside the primary one.
        if (settings.PrimaryOtlpEndpointConfigured)
        {
            openTelemetry
                .WithMetrics(metrics => metrics.AddOtlpExporter())
                .WithLogging(logging => logging.AddOtlpExporter());
        }

        if (settings.PrimaryOtlpEndpointConfigured || settings.PrimaryTraceEndpoint is not null)
        {
            openTelemetry.WithTracing(tracing => tracing.AddExportProcessor(services =>
            {
                // The exporter the SDK would build from OTEL_EXPORTER_OTLP_*, inside a pipeline that counts its losses.
                var options = services.GetRequiredService<IOptionsMonitor<OtlpExporterOptions>>().Get(MsOptions.DefaultName);
                if (settings.PrimaryTraceEndpoint is { } tracesEndpoint)
                {
                    options.Endpoint = tracesEndpoint;
                }

                return ObservedBatchExportProcessor.Create(
                    options,
                    services.GetRequiredService<IOptionsMonitor<BatchExportActivityProcessorOptions>>().Get(MsOptions.DefaultName),
                    services.GetRequiredService<TracingHealthMetrics>(),
                    destination: TelemetrySettings.PrimaryDestination);
            }));
        }

        if (settings.SecondaryTraceEndpoint is { } secondary)
        {
            openTelemetry.WithTracing(tracing => tracing.AddExportProcessor(services => ObservedBatchExportProcessor.Create(
                new OtlpExporterOptions
                {
                    Endpoint = secondary,
                    Protocol = settings.SecondaryTraceProtocol,
                    // The primary's OTEL_EXPORTER_OTLP_HEADERS may hold a vendor's credentials: never send them elsewhere.
                    Headers = null,
                },
                services.GetRequiredService<IOptionsMonitor<BatchExportActivityProcessorOptions>>().Get(MsOptions.DefaultName),
                services.GetRequiredService<TracingHealthMetrics>(),
                destination: TelemetrySettings.SecondaryDestination)));
        }
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);

        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (ready: every check passes), <c>/alive</c> (live: the process answers) and, when enabled,
    /// <c>/metrics</c> (Prometheus). Health endpoints are mapped in every environment because orchestrators probe them
    /// in production; they report only a status word, never details. Adds no middleware: the service's own pipeline
    /// lists <see cref="HttpServerSpans.UseHttpServerSpans"/> and <see cref="GracefulShutdown.UseGracefulShutdown"/>.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains("live"),
        });

        var settings = app.Services.GetRequiredService<TelemetrySettings>();
        if (settings.Enabled && settings.PrometheusEnabled)
        {
            PrometheusScrapeEndpoint.Map(app, MetricsEndpointPath, settings.PrometheusPort);
        }

        return app;
    }
}
