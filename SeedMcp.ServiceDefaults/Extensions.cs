using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every SeedMcp service shares: OpenTelemetry (traces, metrics, logs), health checks,
/// service discovery and HttpClient resilience. Modelled on Aspire's ServiceDefaults template.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>The MCP C# SDK's ActivitySource and Meter; it emits the MCP semantic-convention spans and histograms.</summary>
    public const string McpSdkTelemetrySourceName = "Experimental.ModelContextProtocol";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

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
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(McpSdkTelemetrySourceName))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(McpSdkTelemetrySourceName)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = IsTracedRequest)
                .AddHttpClientInstrumentation());

        builder.AddOpenTelemetryExporters(openTelemetry, settings);
        return builder;
    }

    /// <summary>Health probes are polled every few seconds; tracing them would drown real traffic.</summary>
    private static bool IsTracedRequest(HttpContext context) =>
        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath);

    private static void AddOpenTelemetryExporters<TBuilder>(this TBuilder builder, IOpenTelemetryBuilder openTelemetry, TelemetrySettings settings)
        where TBuilder : IHostApplicationBuilder
    {
        // Per-signal AddOtlpExporter rather than UseOtlpExporter: OpenTelemetry 1.20 refuses to start when both are
        // used, and only AddOtlpExporter lets a second, named trace destination (Jaeger) sit beside the primary one.
        if (settings.PrimaryOtlpEndpointConfigured)
        {
            openTelemetry
                .WithTracing(tracing => tracing.AddOtlpExporter())
                .WithMetrics(metrics => metrics.AddOtlpExporter())
                .WithLogging(logging => logging.AddOtlpExporter());
        }

        if (settings.SecondaryTraceEndpoint is { } secondary)
        {
            openTelemetry.WithTracing(tracing => tracing.AddOtlpExporter(TelemetrySettings.SecondaryExporterName, otlp =>
            {
                otlp.Endpoint = secondary;
                otlp.Protocol = settings.SecondaryTraceProtocol;
                // The primary's OTEL_EXPORTER_OTLP_HEADERS may hold a vendor's credentials: never send them elsewhere.
                otlp.Headers = null;
            }));
        }
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);

        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (ready: every check passes) and <c>/alive</c> (live: the process answers).
    /// Both are mapped in every environment because orchestrators probe them in production; they report only
    /// a status word, never details.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains("live"),
        });

        return app;
    }
}
