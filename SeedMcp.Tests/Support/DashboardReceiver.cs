using System.Reflection;

namespace SeedMcp.Tests.Support;

/// <summary>
/// The Aspire dashboard run on its own as a real OTLP receiver (gRPC and HTTP), with its telemetry API open on
/// loopback. The binary comes from the NuGet package the AppHost build already resolved.
/// </summary>
public sealed class DashboardReceiver(int? otlpGrpcPort = null) : IAsyncLifetime
{
    private ChildProcess? _process;

    public Uri OtlpGrpcEndpoint { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var uiPort = FreePort.Next();
        var grpcPort = otlpGrpcPort ?? FreePort.Next();
        var httpPort = FreePort.Next();
        OtlpGrpcEndpoint = new Uri($"http://127.0.0.1:{grpcPort}");
        _process = ChildProcess.Start(DashboardPath(), [], new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{uiPort}",
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = OtlpGrpcEndpoint.ToString(),
            ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{httpPort}",
            ["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true",
            ["Dashboard__Api__Enabled"] = "true",
            ["Dashboard__Api__AuthMode"] = "Unsecured",
        });

        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{uiPort}") };
        try
        {
            await _process.WaitUntilReadyAsync(
                async cancellationToken =>
                {
                    using var response = await Api.GetAsync("/api/telemetry/resources", cancellationToken);
                    return response.IsSuccessStatusCode;
                },
                TimeSpan.FromSeconds(60),
                CancellationToken.None);
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException("The dashboard did not start:\n" + string.Join('\n', _process.Output), exception);
        }
    }

    public Task<IReadOnlyList<OtlpSpan>> WaitForTraceAsync(string traceId, Func<IReadOnlyList<OtlpSpan>, bool> complete) =>
        DashboardTelemetryApi.WaitForTraceAsync(Api, traceId, complete);

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    private static string DashboardPath() =>
        Assembly.Load("SeedMcp.AppHost").GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == "aspiredashboardpath")?.Value
        ?? throw new InvalidOperationException("The AppHost build does not name the dashboard binary (aspiredashboardpath).");
}
