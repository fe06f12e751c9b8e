using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Integration;

/// <summary>
/// The whole AppHost graph, booted once for the collection through Aspire.Hosting.Testing: the server, a real
/// redis-server (local mode: no container engine is assumed) and the Aspire dashboard as a real OTLP receiver,
/// whose telemetry API the tests read.
/// </summary>
public class GraphFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(3);

    private readonly string _redisDataDirectory = Path.Combine(Path.GetTempPath(), "seedmcp-tests-redis-" + Guid.NewGuid().ToString("N"));
    private readonly string _dashboardApiKey = Guid.NewGuid().ToString("N");

    public DistributedApplication App { get; private set; } = null!;

    public Uri McpEndpoint { get; private set; } = null!;

    public string RedisConnectionString { get; private set; } = string.Empty;

    public HttpClient Dashboard { get; private set; } = null!;

    /// <summary>AppHost settings a derived fixture adds, as <c>Key=Value</c>.</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    public virtual async Task InitializeAsync()
    {
        var builder = await AppHostGraph.CreateBuilderAsync(
            [
                "Infrastructure:Mode=Local",
                $"Infrastructure:RedisDataDirectory={_redisDataDirectory}",
                $"AppHost:DashboardApiKey={_dashboardApiKey}",
                .. ExtraArguments,
            ],
            StartupTimeout);

        App = await builder.BuildAsync().WaitAsync(StartupTimeout);
        await App.StartAsync().WaitAsync(StartupTimeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("server").WaitAsync(StartupTimeout);

        McpEndpoint = new Uri(App.GetEndpoint("server", "http"), "/mcp");
        RedisConnectionString = await App.GetConnectionStringAsync("cache").AsTask().WaitAsync(StartupTimeout)
            ?? throw new InvalidOperationException("The cache resource has no connection string.");
        Dashboard = new HttpClient { BaseAddress = App.GetEndpoint("aspire-dashboard", "http") };
        Dashboard.DefaultRequestHeaders.Add("X-API-Key", _dashboardApiKey);
    }

    public Task<IReadOnlyList<OtlpSpan>> WaitForTraceAsync(string traceId, Func<IReadOnlyList<OtlpSpan>, bool> complete) =>
        DashboardTelemetryApi.WaitForTraceAsync(Dashboard, traceId, complete);

    public virtual async Task DisposeAsync()
    {
        Dashboard?.Dispose();
        if (App is not null)
        {
            await App.StopAsync().WaitAsync(StartupTimeout);
            await App.DisposeAsync();
        }

        if (Directory.Exists(_redisDataDirectory))
        {
            Directory.Delete(_redisDataDirectory, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GraphCollection : ICollectionFixture<GraphFixture>
{
    public const string Name = "graph";
}
