using System.Reflection;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace SeedMcp.ServiceDefaults;

/// <summary>
/// The telemetry switches every service reads at startup. The names are the OpenTelemetry environment variables
/// (plus the seed's <c>OTEL_ENABLED</c>) so operators configure SeedMcp like any other OpenTelemetry service.
/// </summary>
public sealed record TelemetrySettings(
    bool Enabled,
    string ServiceName,
    string ServiceVersion,
    bool PrimaryOtlpEndpointConfigured,
    Uri? PrimaryTraceEndpoint,
    Uri? SecondaryTraceEndpoint,
    OtlpExportProtocol SecondaryTraceProtocol,
    bool PrometheusEnabled,
    int? PrometheusPort,
    int MetricCardinalityLimit)
{
    public const string EnabledKey = "OTEL_ENABLED";
    public const string ServiceNameKey = "OTEL_SERVICE_NAME";
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string OtlpTracesEndpointKey = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";

    /// <summary>A second trace destination (Jaeger beside the Aspire dashboard); OTLP, never given the primary's headers.</summary>
    public const string SecondaryTraceEndpointKey = "Telemetry:SecondaryTraceEndpoint";
    public const string SecondaryTraceProtocolKey = "Telemetry:SecondaryTraceProtocol";

    /// <summary>Serve <c>/metrics</c> for Prometheus; on by default in Development only.</summary>
    public const string PrometheusEnabledKey = "Telemetry:Prometheus:Enabled";

    /// <summary>A port of its own for <c>/metrics</c> (only there, not on the service's port); none by default.</summary>
    public const string PrometheusPortKey = "Telemetry:Prometheus:Port";

    /// <summary>Label combinations kept per metric stream (OpenTelemetry's cardinality limit); default 200.</summary>
    public const string MetricCardinalityLimitKey = "Telemetry:MetricCardinalityLimit";

    public const string DefaultServiceName = "seed-mcp-server";

    /// <summary>The <c>destination</c> label of <c>tracing_errors_total</c>: the OTEL_* endpoint, or the secondary one.</summary>
    public const string PrimaryDestination = "primary";
    public const string SecondaryDestination = "secondary";

    /// <summary>The trace destinations this process exports to (the <c>destination</c> labels it can report losses for).</summary>
    public IReadOnlyList<string> TraceDestinations =>
    [
        .. PrimaryOtlpEndpointConfigured || PrimaryTraceEndpoint is not null ? [PrimaryDestination] : Array.Empty<string>(),
        .. SecondaryTraceEndpoint is not null ? [SecondaryDestination] : Array.Empty<string>(),
    ];

    public static TelemetrySettings From(IConfiguration configuration, IHostEnvironment environment)
    {
        var enabled = configuration.GetValue(EnabledKey, defaultValue: true);
        var serviceName = configuration[ServiceNameKey] is { Length: > 0 } name ? name : DefaultServiceName;

        return new TelemetrySettings(
            enabled,
            serviceName,
            ReadServiceVersion(environment),
            PrimaryOtlpEndpointConfigured: ReadAbsoluteUri(configuration, OtlpEndpointKey) is not null,
            ReadAbsoluteUri(configuration, OtlpTracesEndpointKey),
            ReadAbsoluteUri(configuration, SecondaryTraceEndpointKey),
            ReadProtocol(configuration, SecondaryTraceProtocolKey),
            configuration.GetValue(PrometheusEnabledKey, defaultValue: environment.IsDevelopment()),
            ReadPort(configuration, PrometheusPortKey),
            ReadCardinalityLimit(configuration));
    }

    private static string ReadServiceVersion(IHostEnvironment environment)
    {
        var assembly = Assembly.GetEntryAssembly();
        var informational = assembly?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // Drop the "+<commit>" build metadata: it changes on every commit and splits dashboards by version.
        return informational?.Split('+')[0] ?? assembly?.GetName().Version?.ToString() ?? environment.ApplicationName;
    }

    private static Uri? ReadAbsoluteUri(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"Setting '{key}' must be an absolute URL such as http://localhost:4317, but was '{value}'.");
    }

    private static int? ReadPort(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new InvalidOperationException($"Setting '{key}' must be a TCP port between 1 and 65535 such as 9464, but was '{value}'.");
    }

    private static int ReadCardinalityLimit(IConfiguration configuration)
    {
        var limit = configuration.GetValue(MetricCardinalityLimitKey, 200);
        return limit is >= 10 and <= 100_000
            ? limit
            : throw new InvalidOperationException($"Setting '{MetricCardinalityLimitKey}' must be between 10 and 100000, such as 200, but was {limit}.");
    }

    private static OtlpExportProtocol ReadProtocol(IConfiguration configuration, string key) => configuration[key] switch
    {
        null or "" or "grpc" => OtlpExportProtocol.Grpc,
        "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
        var other => throw new InvalidOperationException($"Setting '{key}' must be 'grpc' or 'http/protobuf', but was '{other}'."),
    };
}
