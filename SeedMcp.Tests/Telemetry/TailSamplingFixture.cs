using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>
/// A real OTLP receiver (the Aspire dashboard) and two real server processes with tail sampling on and a head ratio
/// of 0, configured only through environment variables: one keeps traces slower than a minute (so only errors and
/// the caller's sampled flag keep a trace), the other slower than a millisecond (so every call is slow).
/// </summary>
public sealed class TailSamplingFixture : IAsyncLifetime
{
    public DashboardReceiver Receiver { get; } = new();

    public ChildProcess ErrorsOnly { get; private set; } = null!;

    public Uri ErrorsOnlyAddress { get; private set; } = null!;

    public ChildProcess EverythingSlow { get; private set; } = null!;

    public Uri EverythingSlowAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Receiver.InitializeAsync();
        var errorsOnly = ServerProcess.StartAsync(Settings(keepSlowerThan: "00:01:00"));
        var everythingSlow = ServerProcess.StartAsync(Settings(keepSlowerThan: "00:00:00.001"));
        (ErrorsOnly, ErrorsOnlyAddress) = await errorsOnly;
        (EverythingSlow, EverythingSlowAddress) = await everythingSlow;
    }

    public async Task DisposeAsync()
    {
        if (ErrorsOnly is not null)
        {
            await ErrorsOnly.DisposeAsync();
        }

        if (EverythingSlow is not null)
        {
            await EverythingSlow.DisposeAsync();
        }

        await Receiver.DisposeAsync();
    }

    private Dictionary<string, string?> Settings(string keepSlowerThan) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Receiver.OtlpGrpcEndpoint.ToString(),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio",
        ["OTEL_TRACES_SAMPLER_ARG"] = "0",
        ["Telemetry__TailSampling__Enabled"] = "true",
        ["Telemetry__TailSampling__KeepSlowerThan"] = keepSlowerThan,
    };
}
