using System.ComponentModel.DataAnnotations;

namespace SeedMcp.Server.RateLimiting;

/// <summary>
/// Sliding-window limits on <c>/mcp</c>: per caller (the token's subject, or the client IP when anonymous) and for all
/// callers together. Kept in Redis when it is configured (a sliding-window counter, see
/// <see cref="SlidingWindowCounter"/>), so every replica counts against the same window. Section <c>RateLimiting</c>.
/// </summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary><c>false</c> turns both limits off (load tests). Env <c>RateLimiting__Enabled</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests one caller may send per <see cref="Window"/>. Env <c>RateLimiting__PermitLimit</c>.</summary>
    [Range(1, 1_000_000, ErrorMessage = "RateLimiting:PermitLimit (env RateLimiting__PermitLimit) must be between 1 and 1000000, e.g. 100.")]
    public int PermitLimit { get; set; } = 100;

    /// <summary>Requests all callers together may send per <see cref="Window"/>. Env <c>RateLimiting__GlobalPermitLimit</c>.</summary>
    [Range(1, 100_000_000, ErrorMessage = "RateLimiting:GlobalPermitLimit (env RateLimiting__GlobalPermitLimit) must be between 1 and 100000000, e.g. 1000.")]
    public int GlobalPermitLimit { get; set; } = 1000;

    /// <summary>
    /// With Redis: how many counters (each in its own Redis Cluster slot) the global limit is split over, so no single
    /// key takes every request; at most <see cref="GlobalPermitLimit"/> are used. Env <c>RateLimiting__GlobalShards</c>.
    /// </summary>
    [Range(1, 256, ErrorMessage = "RateLimiting:GlobalShards (env RateLimiting__GlobalShards) must be between 1 and 256, e.g. 8.")]
    public int GlobalShards { get; set; } = 8;

    /// <summary>The sliding window both limits count over. Env <c>RateLimiting__Window</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00",
        ErrorMessage = "RateLimiting:Window (env RateLimiting__Window) must be between 00:00:01 and 1.00:00:00, e.g. 00:01:00.")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Segments of the in-process sliding window (used without Redis); Redis weighs the previous fixed window instead.
    /// Env <c>RateLimiting__SegmentsPerWindow</c>.
    /// </summary>
    [Range(1, 600, ErrorMessage = "RateLimiting:SegmentsPerWindow (env RateLimiting__SegmentsPerWindow) must be between 1 and 600, e.g. 6.")]
    public int SegmentsPerWindow { get; set; } = 6;

    /// <summary>
    /// With Redis: the most permits one replica takes from a counter at once and then spends from memory, so that most
    /// requests need no Redis round trip (never more than a tenth of the counter's limit; 1 = every request decided in
    /// Redis). Permits are counted before they are spent and spent only in the window they were counted in, so the
    /// limits are never exceeded; the cost is that up to replicas × this many permits per counter may be held unspent,
    /// refusing a caller spread over replicas that much early for at most <see cref="LeaseDuration"/>. Env
    /// <c>RateLimiting__LeasePermits</c>.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "RateLimiting:LeasePermits (env RateLimiting__LeasePermits) must be between 1 and 100000, e.g. 100 (1 turns leasing off).")]
    public int LeasePermits { get; set; } = 100;

    /// <summary>
    /// With Redis: how long leased permits may be spent (at most until their window ends) before the rest goes back to
    /// Redis. Env <c>RateLimiting__LeaseDuration</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00",
        ErrorMessage = "RateLimiting:LeaseDuration (env RateLimiting__LeaseDuration) must be between 00:00:00.050 and 00:01:00, e.g. 00:00:05.")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a request waits for Redis to decide before it is let through (fail open): a slow or unreachable Redis
    /// must not hold every MCP request. Env <c>RateLimiting__RedisTimeout</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10",
        ErrorMessage = "RateLimiting:RedisTimeout (env RateLimiting__RedisTimeout) must be between 00:00:00.010 and 00:00:10, e.g. 00:00:00.500.")]
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(500);
}
