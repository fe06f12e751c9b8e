namespace SeedMcp.Server.Status;

public sealed record SystemStatus(
    string Version,
    string Environment,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    MemoryStatus Memory,
    RedisStatus Redis,
    SessionsStatus Sessions,
    TracingStatus Tracing);

public sealed record MemoryStatus(
    long WorkingSetBytes,
    long GcHeapBytes,
    long TotalAllocatedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    double GcPauseTimePercentage,
    double TotalGcPauseMilliseconds);

/// <param name="Configured">False when the server runs without Redis (in-memory sessions).</param>
public sealed record RedisStatus(bool Configured, bool Reachable, double? RoundTripMilliseconds, string? Error);

public sealed record SessionsStatus(string Store, long Active);

public sealed record TracingStatus(bool Enabled, string ServiceName);
