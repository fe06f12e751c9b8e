using System.Diagnostics;
using SeedMcp.Server.Telemetry;

namespace SeedMcp.Server.Sessions;

/// <summary>Cache hits and misses of the session store as events on the current span: key and TTL, never the value.</summary>
internal static class SessionCacheEvents
{
    public static void Record(bool hit, string key, TimeSpan ttl)
    {
        if (Activity.Current is { IsAllDataRequested: true } activity)
        {
            Add(activity, hit, key, ttl);
        }
    }

    /// <summary>As above, naming the key only when the span is recorded.</summary>
    public static void Record(bool hit, ISessionStore store, string sessionId, TimeSpan ttl)
    {
        if (Activity.Current is { IsAllDataRequested: true } activity)
        {
            Add(activity, hit, store.KeyOf(sessionId), ttl);
        }
    }

    private static void Add(Activity activity, bool hit, string key, TimeSpan ttl) =>
        activity.AddEvent(new ActivityEvent(
            hit ? SeedMcpTelemetry.Events.CacheHit : SeedMcpTelemetry.Events.CacheMiss,
            tags: new ActivityTagsCollection
            {
                [SeedMcpTelemetry.Attributes.CacheKey] = key,
                [SeedMcpTelemetry.Attributes.CacheTtl] = (long)ttl.TotalSeconds,
            }));
}
