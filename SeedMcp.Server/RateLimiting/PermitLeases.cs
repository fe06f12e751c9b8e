using System.Collections.Concurrent;
using StackExchange.Redis;

namespace SeedMcp.Server.RateLimiting;

/// <summary>
/// One replica's leases on one kind of Redis counter (the callers', or the global shards'): most requests spend a
/// permit from memory, and one in a batch takes the next batch from Redis (<see cref="RedisWindowScript.TakeAsync"/>).
/// A batch is at most <see cref="RateLimitingOptions.LeasePermits"/> and never more than a tenth of the counter's
/// limit; a batch of one is no lease at all (every request decided in Redis, as without leases).
/// <para>
/// Accuracy: permits are counted in Redis before they are spent and spent only within the fixed window they were
/// counted in, so N replicas together never admit more than the counter allows — the same sliding-window estimate as
/// without leases. What leases cost is the other way: each replica may hold up to one batch per counter counted but
/// not yet spent, so a caller whose requests go to N replicas can be refused up to N × batch requests early, until
/// the lease ends (<see cref="RateLimitingOptions.LeaseDuration"/> at most, or the window's end) and its rest is
/// refunded. A sweep every lease duration refunds and forgets ended leases, so memory follows the active partitions.
/// </para>
/// </summary>
internal sealed class PermitLeases : IDisposable
{
    private readonly ConcurrentDictionary<string, PermitLease> _leases = new(StringComparer.Ordinal);
    private readonly Func<IDatabase> _database;
    private readonly Func<string, RedisKey> _keyOf;
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly TimeSpan _duration;
    private readonly TimeSpan _redisTimeout;
    private readonly int _maxBatch;
    private readonly ITimer _sweep;

    public PermitLeases(Func<IDatabase> database, Func<string, RedisKey> keyOf, RateLimitingOptions settings, TimeProvider time)
    {
        _database = database;
        _keyOf = keyOf;
        _time = time;
        _window = settings.Window;
        _duration = settings.LeaseDuration;
        _redisTimeout = settings.RedisTimeout;
        _maxBatch = settings.LeasePermits;
        _sweep = time.CreateTimer(static state => ((PermitLeases)state!).Sweep(), this, _duration, _duration);
    }

    /// <summary>Partitions this replica holds a lease for (ended ones until the next sweep).</summary>
    public int Count => _leases.Count;

    /// <summary>What one replica takes from a counter of <paramref name="limit"/> at once: at most a tenth of it.</summary>
    public int BatchFor(int limit) => Math.Clamp(limit / 10, 1, _maxBatch);

    /// <summary>
    /// Decides <paramref name="permits"/> for partition <paramref name="id"/> against <paramref name="limit"/>: from
    /// the lease when it holds them, otherwise from Redis. Throws what Redis throws (or <see cref="TimeoutException"/>
    /// after <see cref="RateLimitingOptions.RedisTimeout"/>), for the limiter to fail open.
    /// </summary>
    public ValueTask<LeaseDecision> TakeAsync(string id, int limit, int permits, CancellationToken cancellationToken)
    {
        var batch = BatchFor(limit);
        if (batch <= permits)
        {
            return DecideInRedisAsync(id, limit, permits, cancellationToken);
        }

        var lease = Lease(id);
        return lease.TryTake(permits, _time.GetTimestamp(), out var taken)
            ? new ValueTask<LeaseDecision>(LeaseDecision.FromLease(lease, taken))
            : RefillAsync(lease, limit, batch, permits, cancellationToken);
    }

    /// <summary>The usual case, with no Redis and no allocation: the lease of <paramref name="id"/> holds the permits.</summary>
    public bool TryTake(string id, int limit, int permits, out LeaseDecision decision)
    {
        if (BatchFor(limit) > permits && _leases.TryGetValue(id, out var lease) && lease.TryTake(permits, _time.GetTimestamp(), out var taken))
        {
            decision = LeaseDecision.FromLease(lease, taken);
            return true;
        }

        decision = default;
        return false;
    }

    /// <summary>Gives back permits a decision took for a request its other limit rejected.</summary>
    public void GiveBack(LeaseDecision decision, int permits)
    {
        if (decision.Lease is { } lease)
        {
            // Back into the lease while it lasts; once it has ended, to the window the permits were counted in.
            if (!lease.TryReturn(decision.WindowNumber, permits, _time.GetTimestamp()))
            {
                _ = RedisWindowScript.RefundAsync(_database(), lease.Key, decision.WindowNumber, permits);
            }
        }
        else if (decision.Key is { } key)
        {
            _ = RedisWindowScript.RefundAsync(_database(), key, decision.WindowNumber, permits);
        }
    }

    public void Dispose() => _sweep.Dispose();

    /// <summary>Refunds and forgets the leases that ended; a lease still spendable, or refilling, stays.</summary>
    internal void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var (id, lease) in _leases)
        {
            if (lease.TryRetire(now, out var unspent))
            {
                _leases.TryRemove(new KeyValuePair<string, PermitLease>(id, lease));
                Refund(lease, unspent);
            }
        }
    }

    private PermitLease Lease(string id) => _leases.GetOrAdd(id, static (id, keyOf) => new PermitLease(id, keyOf(id)), _keyOf);

    private async ValueTask<LeaseDecision> RefillAsync(PermitLease lease, int limit, int batch, int permits, CancellationToken cancellationToken)
    {
        while (true)
        {
            var refill = lease.JoinOrBeginRefill(_time.GetTimestamp(), out var begun, out var unspent);
            // What an ended lease left goes back first, so it is room again when the new batch is asked for.
            Refund(lease, unspent);
            if (begun is not null)
            {
                PermitLease.Begin(begun, TakeBatchAsync(lease, limit, batch, permits));
            }

            if (refill is null)
            {
                // Swept while this request held it: the table has (or makes) a new one.
                lease = Lease(lease.Id);
                if (lease.TryTake(permits, _time.GetTimestamp(), out var fresh))
                {
                    return LeaseDecision.FromLease(lease, fresh);
                }

                continue;
            }

            var decision = await WithTimeout(refill, cancellationToken);
            if (!decision.Accepted)
            {
                return LeaseDecision.Rejected(decision.Counter.RetryAfter(permits, limit, decision.Elapsed, _window));
            }

            if (lease.TryTake(permits, _time.GetTimestamp(), out var taken))
            {
                return LeaseDecision.FromLease(lease, taken);
            }

            // The batch went to the requests that shared the refill: take the next one.
        }
    }

    private async Task<RedisWindowScript.Decision> TakeBatchAsync(PermitLease lease, int limit, int batch, int permits)
    {
        // Measured from before the request is sent: Redis reads its clock later, so the lease ends before its window does.
        var sent = _time.GetTimestamp();
        try
        {
            var decision = await RedisWindowScript.TakeAsync(_database(), lease.Key, _window, limit, wanted: batch, needed: permits);
            if (decision.Accepted)
            {
                var spendable = _window - decision.Elapsed < _duration ? _window - decision.Elapsed : _duration;
                var expiresAt = sent + (long)(spendable.TotalSeconds * _time.TimestampFrequency);
                var inRedis = decision.Counter.RemainingAfter(decision.Granted, limit, decision.Elapsed, _window);
                Refund(lease, lease.Install(decision, expiresAt, inRedis));
            }
            else
            {
                lease.RefillFailed();
            }

            return decision;
        }
        catch
        {
            lease.RefillFailed();
            throw;
        }
    }

    private async ValueTask<LeaseDecision> DecideInRedisAsync(string id, int limit, int permits, CancellationToken cancellationToken)
    {
        var key = _keyOf(id);
        var decision = await WithTimeout(RedisWindowScript.EvaluateAsync(_database(), key, _window, limit, permits), cancellationToken);
        return decision.Accepted
            ? LeaseDecision.FromRedis(key, decision.WindowNumber, decision.Counter.RemainingAfter(permits, limit, decision.Elapsed, _window))
            : LeaseDecision.Rejected(decision.Counter.RetryAfter(permits, limit, decision.Elapsed, _window));
    }

    /// <summary>
    /// StackExchange.Redis takes no cancellation token and may queue a command for seconds while it reconnects: stop
    /// waiting after RedisTimeout, and observe the late failure so it is not an unobserved task exception.
    /// </summary>
    private Task<T> WithTimeout<T>(Task<T> pending, CancellationToken cancellationToken)
    {
        if (pending.IsCompleted)
        {
            return pending;
        }

        _ = pending.ContinueWith(static task => _ = task.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return pending.WaitAsync(_redisTimeout, _time, cancellationToken);
    }

    private void Refund(PermitLease lease, PermitLease.Unspent unspent)
    {
        if (unspent.Permits > 0)
        {
            _ = RedisWindowScript.RefundAsync(_database(), lease.Key, unspent.WindowNumber, unspent.Permits);
        }
    }
}

/// <summary>
/// One counter's answer for one request: accepted (from a lease, or counted in Redis directly) with an estimate of
/// what is left, or rejected with how long to wait. Carries what <see cref="PermitLeases.GiveBack"/> needs.
/// </summary>
internal readonly record struct LeaseDecision(bool Accepted, long Remaining, TimeSpan RetryAfter, PermitLease? Lease, RedisKey? Key, long WindowNumber)
{
    public static LeaseDecision FromLease(PermitLease lease, PermitLease.Taken taken) => new(true, taken.Remaining, TimeSpan.Zero, lease, null, taken.WindowNumber);

    public static LeaseDecision FromRedis(RedisKey key, long windowNumber, long remaining) => new(true, remaining, TimeSpan.Zero, null, key, windowNumber);

    public static LeaseDecision Rejected(TimeSpan retryAfter) => new(false, 0, retryAfter, null, null, 0);
}
