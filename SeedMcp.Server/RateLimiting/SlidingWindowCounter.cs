namespace SeedMcp.Server.RateLimiting;

/// <summary>
/// The sliding-window counter approximation (as in Cloudflare's and nginx's limiters): requests are counted in fixed
/// windows, and the sliding window ending now is estimated as the current window's count plus the previous window's
/// count weighted by how much of it the sliding window still covers. O(1) state (two counters) instead of a timestamp
/// per request. The decision itself is made in Redis (<see cref="RedisWindowScript"/>); this is the arithmetic
/// around it: what is left after a request, and how long a rejected caller should wait.
/// </summary>
/// <param name="Current">Requests accepted in the current fixed window, before this one.</param>
/// <param name="Previous">Requests accepted in the previous fixed window.</param>
internal readonly record struct SlidingWindowCounter(long Current, long Previous)
{
    /// <summary>The estimated requests in the sliding window ending <paramref name="elapsed"/> into the current fixed window.</summary>
    public double Estimate(TimeSpan elapsed, TimeSpan window) =>
        Previous * PreviousWeight(elapsed, window) + Current;

    /// <summary>How many more requests fit right after <paramref name="permits"/> were accepted.</summary>
    public long RemainingAfter(int permits, int permitLimit, TimeSpan elapsed, TimeSpan window) =>
        Math.Max(0, (long)Math.Floor(permitLimit - Estimate(elapsed, window) - permits));

    /// <summary>
    /// How long until <paramref name="permits"/> would fit again if nobody sent anything meanwhile: while the current
    /// window still has room, until enough of the previous window has slid out; otherwise into the next window,
    /// until enough of this one has.
    /// </summary>
    public TimeSpan RetryAfter(int permits, int permitLimit, TimeSpan elapsed, TimeSpan window)
    {
        var room = permitLimit - permits;
        if (Current <= room)
        {
            // Previous * (window - elapsed - wait) / window + Current <= room
            var wait = Previous == 0 ? TimeSpan.Zero : window - elapsed - window * ((room - Current) / (double)Previous);
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        // In the next window, this one is the previous: Current * (window - into) / window <= room.
        var into = room <= 0 ? window : window - window * (room / (double)Current);
        return window - elapsed + into;
    }

    private static double PreviousWeight(TimeSpan elapsed, TimeSpan window) =>
        (window - elapsed) / window;
}
