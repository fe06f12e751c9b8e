namespace SeedMcp.Server.RateLimiting;

/// <summary>
/// The global limit split over counters in different Redis Cluster slots, so no single key takes every request of the
/// deployment: shard <c>k</c> admits its share of <see cref="RateLimitingOptions.GlobalPermitLimit"/> (the shares add
/// up to the limit, so together they never admit more), and each process spreads its requests over the shards in
/// turn. A request a full shard turns away tries up to <see cref="ExtraTries"/> further shards before it is rejected,
/// which keeps uneven shards from rejecting much below the limit.
/// </summary>
internal sealed class GlobalLimitShards(int globalPermitLimit, int configuredShards)
{
    /// <summary>Further shards a request the first shard rejected may try, one round trip each.</summary>
    public const int ExtraTries = 2;

    private int _next = -1;

    /// <summary>No more shards than permits: every shard must admit at least one request.</summary>
    public int Count { get; } = Math.Max(1, Math.Min(configuredShards, globalPermitLimit));

    /// <summary>The next shard in this process's rotation.</summary>
    public int Next() => (int)((uint)Interlocked.Increment(ref _next) % (uint)Count);

    public int After(int shard) => (shard + 1) % Count;

    /// <summary>Shard <paramref name="shard"/>'s share of the limit: the remainder goes to the first shards.</summary>
    public int LimitOf(int shard) => (globalPermitLimit / Count) + (shard < globalPermitLimit % Count ? 1 : 0);
}
