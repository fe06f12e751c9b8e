using System.Globalization;
using Aspire.Hosting.ApplicationModel;

namespace SeedMcp.Tests.Integration;

/// <summary>The graph with three server replicas, each reachable directly (bypassing the shared proxy endpoint).</summary>
public class ReplicaGraphFixture : GraphFixture
{
    public const int ReplicaCount = 3;

    public IReadOnlyList<ServerReplica> Replicas { get; private set; } = [];

    protected override IEnumerable<string> ExtraArguments => [$"Server:Replicas={ReplicaCount}"];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Replicas = await DiscoverReplicasAsync();
        using var http = new HttpClient();
        foreach (var replica in Replicas)
        {
            await WaitHealthyAsync(http, replica);
        }
    }

    /// <summary>Each replica's own address (its ASPNETCORE_URLS), process id and service.instance.id, from Aspire's resource snapshots.</summary>
    private async Task<IReadOnlyList<ServerReplica>> DiscoverReplicasAsync()
    {
        var found = new Dictionary<string, ServerReplica>(StringComparer.Ordinal);
        using var timeout = new CancellationTokenSource(StartupTimeout);
        await foreach (var update in App.ResourceNotifications.WatchAsync(timeout.Token))
        {
            if (update.Resource.Name == "server"
                && update.Snapshot.State?.Text == KnownResourceStates.Running
                && Environment(update.Snapshot, "ASPNETCORE_URLS") is { } url
                && update.Snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value is { } pid
                && int.TryParse(pid.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var processId))
            {
                found[update.ResourceId] = new ServerReplica(update.ResourceId, new Uri(url.Split(';')[0].TrimEnd('/') + "/"), processId);
                if (found.Count == ReplicaCount)
                {
                    return [.. found.Values.OrderBy(replica => replica.ResourceId, StringComparer.Ordinal)];
                }
            }
        }

        throw new TimeoutException($"Found {found.Count} of {ReplicaCount} running server replicas.");
    }

    private static string? Environment(CustomResourceSnapshot snapshot, string name) =>
        snapshot.EnvironmentVariables.FirstOrDefault(variable => variable.Name == name)?.Value;

    private static async Task WaitHealthyAsync(HttpClient http, ServerReplica replica)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(replica.BaseAddress, "health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Replica {replica.ResourceId} at {replica.BaseAddress} never became healthy.");
            }

            await Task.Delay(250);
        }
    }
}

public sealed record ServerReplica(string ResourceId, Uri BaseAddress, int ProcessId)
{
    public Uri McpEndpoint => new(BaseAddress, "mcp");

    public bool IsAlive
    {
        get
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(ProcessId);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ReplicaGraphCollection : ICollectionFixture<ReplicaGraphFixture>
{
    public const string Name = "replica-graph";
}
