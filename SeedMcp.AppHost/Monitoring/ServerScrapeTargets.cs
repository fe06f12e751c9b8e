using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SeedMcp.AppHost.Monitoring;

/// <summary>
/// Keeps the local Prometheus's targets file equal to the server replicas that run, each at its own address
/// (its <c>ASPNETCORE_URLS</c>). Scraping the server's endpoint instead would go through Aspire's proxy, which spreads
/// the scrapes over the replicas and mixes their counters into one nonsensical series.
/// </summary>
internal sealed partial class ServerScrapeTargets(
    IResource server, string targetsFile, ResourceNotificationService notifications, ILogger<ServerScrapeTargets> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        await WriteAsync(targets.Values, stoppingToken);

        await foreach (var update in notifications.WatchAsync(stoppingToken))
        {
            if (!ReferenceEquals(update.Resource, server))
            {
                continue;
            }

            bool changed;
            if (update.Snapshot.State?.Text == KnownResourceStates.Running && ListenAddress(update.Snapshot) is { } address)
            {
                changed = !targets.TryGetValue(update.ResourceId, out var known) || known != address;
                targets[update.ResourceId] = address;
            }
            else
            {
                changed = targets.Remove(update.ResourceId);
            }

            if (changed)
            {
                await WriteAsync(targets.Values, stoppingToken);
                var scraped = string.Join(", ", targets.Values);
                TargetsChanged(logger, scraped);
            }
        }
    }

    /// <summary><c>host:port</c> of the replica's first URL, as the AppHost told it to listen.</summary>
    private static string? ListenAddress(CustomResourceSnapshot snapshot) =>
        snapshot.EnvironmentVariables.FirstOrDefault(variable => variable.Name == "ASPNETCORE_URLS")?.Value?.Split(';')[0] is { } url
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? $"{uri.Host}:{uri.Port}"
            : null;

    /// <summary>Written aside and moved into place: Prometheus rereads the file as soon as it changes.</summary>
    private async Task WriteAsync(IEnumerable<string> targets, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(targetsFile)!);
        var pending = targetsFile + ".tmp";
        await File.WriteAllTextAsync(pending, PrometheusScrapeConfig.RenderTargets(targets), cancellationToken);
        File.Move(pending, targetsFile, overwrite: true);
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Prometheus scrapes the server at {Targets}")]
    private static partial void TargetsChanged(ILogger logger, string targets);
}
