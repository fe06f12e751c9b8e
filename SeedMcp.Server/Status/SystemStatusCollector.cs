using System.Diagnostics;
using SeedMcp.Server.Redis;
using SeedMcp.Server.Sessions;
using SeedMcp.Server.Telemetry;
using SeedMcp.ServiceDefaults;

namespace SeedMcp.Server.Status;

/// <summary>Gathers the figures behind the <c>system_status</c> tool, inside a <c>metrics.collect</c> span.</summary>
public sealed class SystemStatusCollector(
    RedisProbe redisProbe,
    ISessionStore sessionStore,
    TelemetrySettings telemetry,
    IHostEnvironment environment,
    TimeProvider timeProvider)
{
    private static readonly DateTimeOffset ProcessStartedAt = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    /// <summary>Reading the process's figures walks /proc (one file per thread); a second-old answer is as good.</summary>
    private static readonly TimeSpan MemoryFreshness = TimeSpan.FromSeconds(1);

    private MemorySample? _lastMemory;

    public async Task<SystemStatus> CollectAsync(CancellationToken cancellationToken)
    {
        var redisTask = redisProbe.ProbeAsync(cancellationToken);
        var sessionCountTask = CountSessionsAsync(cancellationToken);

        var memory = await SeedMcpActivitySources.Tools.TraceAsync(SeedMcpTelemetry.Spans.MetricsCollect, _ => Task.FromResult(RecentMemory()));

        var now = timeProvider.GetUtcNow();
        return new SystemStatus(
            telemetry.ServiceVersion,
            environment.EnvironmentName,
            ProcessStartedAt,
            Math.Round((now - ProcessStartedAt).TotalSeconds, 1),
            memory,
            await redisTask,
            new SessionsStatus(sessionStore.Kind, await sessionCountTask),
            new TracingStatus(telemetry.Enabled, telemetry.ServiceName));
    }

    private async Task<long> CountSessionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await sessionStore.CountActiveAsync(cancellationToken);
        }
        catch (StackExchange.Redis.RedisException)
        {
            // Reported through Redis reachability; the count is simply unknown.
            return -1;
        }
    }

    private MemoryStatus RecentMemory()
    {
        var now = timeProvider.GetUtcNow();
        // A reference swap, so concurrent calls never see a torn sample.
        if (Volatile.Read(ref _lastMemory) is { } last && now - last.At < MemoryFreshness)
        {
            return last.Status;
        }

        var status = CollectMemory();
        Volatile.Write(ref _lastMemory, new MemorySample(now, status));
        return status;
    }

    private static MemoryStatus CollectMemory()
    {
        using var process = Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        return new MemoryStatus(
            process.WorkingSet64,
            gc.HeapSizeBytes,
            GC.GetTotalAllocatedBytes(),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            gc.PauseTimePercentage,
            GC.GetTotalPauseDuration().TotalMilliseconds);
    }

    private sealed record MemorySample(DateTimeOffset At, MemoryStatus Status);
}
