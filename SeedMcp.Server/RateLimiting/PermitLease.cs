using StackExchange.Redis;

namespace SeedMcp.Server.RateLimiting;

/// <summary>
/// This replica's unspent share of one Redis counter: permits the counter has already counted, spent here one request
/// at a time without asking Redis. A lease is spendable only until the end of the fixed Redis window its permits were
/// counted in (and never longer than <see cref="RateLimitingOptions.LeaseDuration"/>), so every request is counted in
/// the window it is served in, before it is served. What is left when it ends goes back to Redis
/// (<see cref="PermitLeases"/>). At most one refill is in flight per lease; the requests that find it empty share it.
/// </summary>
internal sealed class PermitLease(string id, RedisKey key)
{
    private readonly Lock _gate = new();
    private int _remaining;
    private long _expiresAt;
    private long _windowNumber;
    private long _remainingInRedis;
    private TaskCompletionSource<RedisWindowScript.Decision>? _refill;
    private bool _retired;

    /// <summary>The partition (caller or global shard) this lease belongs to, as the lease table knows it.</summary>
    public string Id => id;

    public RedisKey Key => key;

    /// <summary>Left the lease table: whoever still holds it must look the partition up again.</summary>
    public bool IsRetired
    {
        get
        {
            lock (_gate)
            {
                return _retired;
            }
        }
    }

    /// <summary>Spends <paramref name="permits"/> from memory if the lease holds them and has not ended.</summary>
    /// <param name="taken">What is left of the limit after this request (estimated: the lease's rest plus what Redis
    /// had left), and the fixed window the permits were counted in.</param>
    public bool TryTake(int permits, long now, out Taken taken)
    {
        lock (_gate)
        {
            if (!_retired && now < _expiresAt && _remaining >= permits)
            {
                _remaining -= permits;
                taken = new Taken(_remaining + _remainingInRedis, _windowNumber);
                return true;
            }
        }

        taken = default;
        return false;
    }

    /// <summary>
    /// The refill in flight, or a new one (<paramref name="begun"/>: the caller must then <see cref="Begin"/> it with the
    /// Redis call that answers it);
    /// <see langword="null"/> when the lease was retired. An ended lease's unspent permits are handed out in
    /// <paramref name="unspent"/> (with their window) to go back to Redis.
    /// </summary>
    public Task<RedisWindowScript.Decision>? JoinOrBeginRefill(long now, out TaskCompletionSource<RedisWindowScript.Decision>? begun, out Unspent unspent)
    {
        begun = null;
        unspent = default;
        lock (_gate)
        {
            if (_retired)
            {
                return null;
            }

            if (_refill is not null)
            {
                return _refill.Task;
            }

            if (now >= _expiresAt && _remaining > 0)
            {
                unspent = new Unspent(_windowNumber, _remaining);
                _remaining = 0;
            }

            // The requests that join resume on the thread pool, not one after another on the thread of the reply.
            _refill = new TaskCompletionSource<RedisWindowScript.Decision>(TaskCreationOptions.RunContinuationsAsynchronously);
            begun = _refill;
            return _refill.Task;
        }
    }

    /// <summary>Answers the refill <see cref="JoinOrBeginRefill"/> began with the Redis call <paramref name="take"/>.</summary>
    public static void Begin(TaskCompletionSource<RedisWindowScript.Decision> refill, Task<RedisWindowScript.Decision> take) =>
        _ = Forward(take, refill);

    /// <summary>Puts what Redis granted into the lease, spendable until <paramref name="expiresAt"/>; ends the refill.</summary>
    public Unspent Install(RedisWindowScript.Decision granted, long expiresAt, long remainingInRedis)
    {
        lock (_gate)
        {
            // A refill starts only on an empty or ended lease; anything left (returned permits) is given back.
            var left = _remaining > 0 ? new Unspent(_windowNumber, _remaining) : default;
            _remaining = granted.Granted;
            _windowNumber = granted.WindowNumber;
            _expiresAt = expiresAt;
            _remainingInRedis = remainingInRedis;
            _refill = null;
            return left;
        }
    }

    public void RefillFailed()
    {
        lock (_gate)
        {
            _refill = null;
        }
    }

    /// <summary>
    /// Takes back permits a request took but did not use (its other limit rejected it), if they still belong to this
    /// lease's window and the lease has not ended; otherwise the caller refunds them in Redis.
    /// </summary>
    public bool TryReturn(long windowNumber, int permits, long now)
    {
        lock (_gate)
        {
            if (_retired || windowNumber != _windowNumber || now >= _expiresAt)
            {
                return false;
            }

            _remaining += permits;
            return true;
        }
    }

    /// <summary>Retires an ended, idle lease so the table can drop it; hands out what was left unspent.</summary>
    public bool TryRetire(long now, out Unspent unspent)
    {
        lock (_gate)
        {
            unspent = default;
            if (_retired || _refill is not null || now < _expiresAt)
            {
                return false;
            }

            unspent = new Unspent(_windowNumber, _remaining);
            _remaining = 0;
            _retired = true;
            return true;
        }
    }

    private static async Task Forward(Task<RedisWindowScript.Decision> source, TaskCompletionSource<RedisWindowScript.Decision> target)
    {
        try
        {
            target.SetResult(await source);
        }
        catch (Exception exception)
        {
            target.SetException(exception);
            // Whoever waited has seen it or timed out; nobody else will.
            _ = target.Task.Exception;
        }
    }

    /// <summary>Permits spent from a lease: what is left of the limit, and the window they were counted in.</summary>
    public readonly record struct Taken(long Remaining, long WindowNumber);

    /// <summary>Permits a lease counted in Redis's fixed window <paramref name="WindowNumber"/> and did not spend.</summary>
    public readonly record struct Unspent(long WindowNumber, int Permits);
}
