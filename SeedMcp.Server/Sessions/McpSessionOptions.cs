using System.ComponentModel.DataAnnotations;

namespace SeedMcp.Server.Sessions;

/// <summary>
/// How long MCP sessions live and where their records are kept. Section <c>Sessions</c>; the rule between
/// <see cref="TouchInterval"/> and <see cref="Ttl"/> lives in <see cref="McpSessionOptionsValidator"/>.
/// </summary>
public sealed class McpSessionOptions
{
    public const string SectionName = "Sessions";

    private static readonly TimeSpan DefaultTouchInterval = TimeSpan.FromSeconds(5);

    /// <summary>Idle lifetime of a session: every request pushes expiry this far ahead. Env <c>Sessions__Ttl</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00",
        ErrorMessage = "Sessions:Ttl (env Sessions__Ttl) must be between 00:00:01 and 30.00:00:00, e.g. 01:00:00 for one hour.")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Prefix of every Redis key the server writes. Env <c>Sessions__KeyPrefix</c>.</summary>
    [Required(ErrorMessage = "Sessions:KeyPrefix (env Sessions__KeyPrefix) must not be empty.")]
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$",
        ErrorMessage = "Sessions:KeyPrefix (env Sessions__KeyPrefix) may hold only letters, digits, '_', '.' and '-' (at most 64).")]
    public string KeyPrefix { get; set; } = "seedmcp";

    /// <summary>
    /// With Redis: how long a replica answers a session's requests from memory (owner, expiry) before it touches the
    /// Redis record again; a session ended or expired elsewhere is noticed within this time. <c>00:00:00</c> touches
    /// Redis on every request. At most half of <see cref="Ttl"/>; unset, 5 s or a quarter of the TTL if that is shorter
    /// (see <see cref="EffectiveTouchInterval"/>). Env <c>Sessions__TouchInterval</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00",
        ErrorMessage = "Sessions:TouchInterval (env Sessions__TouchInterval) must be between 00:00:00 (touch on every request) and 00:10:00, e.g. 00:00:05.")]
    public TimeSpan? TouchInterval { get; set; }

    /// <summary>The <see cref="TouchInterval"/> in force: as set, else 5 s or a quarter of the TTL, whichever is shorter.</summary>
    public TimeSpan EffectiveTouchInterval =>
        TouchInterval ?? (Ttl / 4 < DefaultTouchInterval ? Ttl / 4 : DefaultTouchInterval);

    /// <summary>
    /// With Redis: most sessions a replica keeps in memory between touches; beyond it, further sessions touch Redis on
    /// every request until entries expire. Env <c>Sessions__LocalCacheSize</c>.
    /// </summary>
    [Range(1, 10_000_000, ErrorMessage = "Sessions:LocalCacheSize (env Sessions__LocalCacheSize) must be between 1 and 10000000, e.g. 100000.")]
    public int LocalCacheSize { get; set; } = 100_000;

    /// <summary>
    /// Most sessions the MCP SDK keeps in this process (about 15 KB each while idle). With Redis, beyond it the least
    /// recently used idle session is let go and restored from Redis at its next request, so memory stays flat whatever
    /// the number of sessions; without Redis, where letting go would lose the session, new sessions are refused (503)
    /// instead. The default, 1,000, keeps a server at about 100 MB above idle with 20,000 sessions (measured with
    /// SeedMcp.Benchmarks/session-memory.sh), well inside a 1 GB container. Env <c>Sessions__MaxInProcess</c>.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "Sessions:MaxInProcess (env Sessions__MaxInProcess) must be between 1 and 1000000, e.g. 1000 for a 1 GB container.")]
    public int MaxInProcess { get; set; } = 1_000;

    /// <summary>
    /// With Redis: how long a session-store operation keeps retrying a command that failed because Redis is failing
    /// over or reconnecting (node unreachable, <c>CLUSTERDOWN</c>, no answer in time) before the request gets 503 with
    /// <c>Retry-After</c>. The default covers a typical Redis Cluster failover (2–6.5 s measured with
    /// <c>cluster-node-timeout</c> 1.5 s); raise it to your provider's failover time, or <c>00:00:00</c> to fail at the
    /// first error. Env <c>Sessions__StoreRetryBudget</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00",
        ErrorMessage = "Sessions:StoreRetryBudget (env Sessions__StoreRetryBudget) must be between 00:00:00 (no retry) and 00:01:00, e.g. 00:00:10.")]
    public TimeSpan StoreRetryBudget { get; set; } = TimeSpan.FromSeconds(10);
}
