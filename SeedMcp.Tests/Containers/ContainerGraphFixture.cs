using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SeedMcp.AppHost.Monitoring;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Containers;

/// <summary>
/// The AppHost graph in <c>Containers</c> mode on a real Docker engine, booted once for the collection. Nothing can be
/// pulled here, so the AppHost's own <c>Infrastructure:ContainerRegistry</c> setting points every image at a registry
/// that does not exist, and the images Debian has binaries for (Redis, Prometheus) are built locally under those names
/// first; Jaeger and Grafana have none, so their pulls fail, as a user's would with an unreachable mirror.
/// </summary>
public sealed class ContainerGraphFixture : IAsyncLifetime
{
    /// <summary>A reserved top-level domain (RFC 2606): a pull from it fails at once instead of timing out.</summary>
    public const string StandInRegistry = "standin.seedmcp.invalid";

    /// <summary>The base image DCP builds its container-network tunnel on; stood in for only where the machine has none.</summary>
    private const string TunnelBaseImage = "mcr.microsoft.com/azurelinux/base/core:3.0";

    public static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(4);

    private static readonly string StandInScript = Path.Combine(RepositoryFiles.Root, "SeedMcp.Tests", "Containers", "build-standin-image.sh");

    private readonly string _dashboardApiKey = Guid.NewGuid().ToString("N");

    public DistributedApplication App { get; private set; } = null!;

    public Uri McpEndpoint { get; private set; } = null!;

    public HttpClient Dashboard { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (ContainerEngine.SkipReason is not null)
        {
            return; // Every test of the collection is skipped, saying why.
        }

        if ((await ContainerEngine.RunAsync(["image", "inspect", TunnelBaseImage], TimeSpan.FromSeconds(30))).ExitCode != 0)
        {
            await BuildStandInAsync("glibc-base", TunnelBaseImage);
        }

        var builder = await AppHostGraph.CreateBuilderAsync(
            [
                "Infrastructure:Mode=Containers",
                $"Infrastructure:ContainerRegistry={StandInRegistry}",
                $"AppHost:DashboardApiKey={_dashboardApiKey}",
            ],
            StartupTimeout);

        // The stand-ins carry exactly the names the AppHost asks for: its repositories and pinned tags, under the setting's registry.
        foreach (var (resource, kind) in new[] { ("cache", "redis"), (MonitoringResourceNames.Prometheus, "prometheus") })
        {
            var image = builder.Resources.Single(candidate => candidate.Name == resource).Annotations.OfType<ContainerImageAnnotation>().Single();
            Assert.Equal(StandInRegistry, image.Registry);
            await BuildStandInAsync(kind, $"{image.Registry}/{image.Image}:{image.Tag}");
        }

        App = await builder.BuildAsync().WaitAsync(StartupTimeout);
        await App.StartAsync().WaitAsync(StartupTimeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("server").WaitAsync(StartupTimeout);

        McpEndpoint = new Uri(App.GetEndpoint("server", "http"), "/mcp");
        Dashboard = new HttpClient { BaseAddress = App.GetEndpoint("aspire-dashboard", "http") };
        Dashboard.DefaultRequestHeaders.Add("X-API-Key", _dashboardApiKey);
    }

    public async Task DisposeAsync()
    {
        Dashboard?.Dispose();
        if (App is null)
        {
            return;
        }

        // Redis's data volume outlives its container by design; a test run must not leave one behind.
        var volumes = App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .SelectMany(resource => resource.Annotations.OfType<ContainerMountAnnotation>())
            .Where(mount => mount.Type == ContainerMountType.Volume && mount.Source is not null)
            .Select(mount => mount.Source!)
            .ToList();

        await App.StopAsync().WaitAsync(StartupTimeout);
        await App.DisposeAsync();

        foreach (var volume in volumes)
        {
            await RemoveVolumeAsync(volume);
        }
    }

    /// <summary>DCP removes the containers shortly after the stop; the volume can go once nothing uses it.</summary>
    private static async Task RemoveVolumeAsync(string volume)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var (exitCode, output) = await ContainerEngine.RunAsync(["volume", "rm", "--force", volume], TimeSpan.FromSeconds(30));
            if (exitCode == 0)
            {
                return;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"The volume {volume} could not be removed: {output}");
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    private static async Task BuildStandInAsync(string kind, string image)
    {
        await using var build = ChildProcess.Start("bash", [StandInScript, kind, image], new Dictionary<string, string?>());
        await build.WaitForExitAsync(TimeSpan.FromMinutes(3));
        Assert.True(build.ExitCode == 0, $"Building the {kind} stand-in {image} failed:\n{string.Join('\n', build.Output)}");
    }
}

[CollectionDefinition(Name)]
public sealed class ContainerGraphCollection : ICollectionFixture<ContainerGraphFixture>
{
    public const string Name = "container graph";
}
