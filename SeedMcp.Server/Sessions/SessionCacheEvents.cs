using System.Diagnostics;
using SeedMcp.Server.Telemetry;

namespace SeedMcp.Server.Sessions;

/// <summary>Cache hits and misses of the session store as events on the current span: key and TTL, never the value.</summary>
internal static class SessionCacheEvents
{
    public static void Record(bool hit, string key, TimeSpan ttl)
    {
        if (Activity.Current is not { IsAllDataRequested: true } activity)
        {
            return;
        }

        activity.AddEvent(new ActivityEvent(
            hit ? SeedMcpTelemetry.Events.CacheHit : SeedMcpTelemetry.Events.CacheMiss,
            tags: new ActivityTagsCollection
            {
                [SeedMcpTelemetry.Attributes.CacheKey] = key,
                [SeedMcpTelemetry.Attributes.CacheTtl] = (long)ttl.TotalSeconds,
            }));
    }
}
