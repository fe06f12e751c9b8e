using System.Diagnostics;
using System.Runtime.ExceptionServices;
using StackExchange.Redis;

namespace SeedMcp.Server.Sessions;

/// <summary>
/// Rides a session-store operation through a Redis failover or reconnect: a command that failed because its node is
/// unreachable, the cluster is re-electing (<c>CLUSTERDOWN</c>, <c>TRYAGAIN</c>, <c>MASTERDOWN</c>, <c>READONLY</c>,
/// a redirection not yet followed) or that did not answer in time is sent again, after a short backoff, until it
/// succeeds or <see cref="McpSessionOptions.StoreRetryBudget"/> has passed since the first attempt; then the last
/// failure is thrown, and the request gets the documented 503 with <c>Retry-After</c>.
/// </summary>
/// <remarks>
/// Why by hand: StackExchange.Redis follows <c>MOVED</c> itself, but a command for a slot whose master has just died
/// waits in that master's backlog until the client's timeout (5 s by default) and then fails, even though the
/// promoted replica answers seconds earlier; and no library wraps its commands in a retry that knows which Redis
/// errors are transient. Each attempt is therefore bounded (1 s, doubling, never past the budget) so a command stuck
/// behind a dead node is sent again rather than waited for, and after a failure on a cluster the client re-reads the
/// cluster's topology (at most once a second) so it routes to the new master without a redirection. Every command the
/// store sends is idempotent (the same hash fields, TTL and index score, or a read, or a delete), so a late answer to
/// an abandoned attempt changes nothing; only a delete sent twice may report the session already gone, and nobody
/// acts on that. Wall-clock time, not the store's <see cref="TimeProvider"/>: the budget is about how long Redis
/// takes to recover.
/// </remarks>
internal sealed class RedisStoreRetry(IConnectionMultiplexer redis, TimeSpan budget, ILogger logger)
{
    private static readonly TimeSpan FirstAttemptTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan TopologyRecheckInterval = TimeSpan.FromSeconds(1);

    private long _lastTopologyRecheck = Stopwatch.GetTimestamp() - Stopwatch.Frequency * 60;

    public async ValueTask<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> command, CancellationToken cancellationToken)
    {
        if (budget <= TimeSpan.Zero)
        {
            return await command(cancellationToken);
        }

        var started = Stopwatch.GetTimestamp();
        var attemptTimeout = FirstAttemptTimeout;
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            Exception failure;
            var bound = Min(attemptTimeout, budget - Stopwatch.GetElapsedTime(started));
            try
            {
                var result = await Bounded(command(cancellationToken), bound, cancellationToken);
                if (attempt > 1)
                {
                    var elapsed = Stopwatch.GetElapsedTime(started);
                    SessionLog.StoreOperationRecovered(logger, operation, attempt, (long)elapsed.TotalMilliseconds);
                }

                return result;
            }
            catch (Exception exception) when (IsTransient(exception) && !cancellationToken.IsCancellationRequested)
            {
                failure = exception is TimeoutException and not RedisTimeoutException
                    ? new RedisTimeoutException($"The session store did not answer '{operation}' within {(long)bound.TotalMilliseconds} ms.", CommandStatus.Unknown)
                    : exception;
            }

            var remaining = budget - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                SessionLog.StoreRetryBudgetSpent(logger, operation, attempt, (long)budget.TotalMilliseconds);
                ExceptionDispatchInfo.Throw(failure);
            }

            RecheckClusterTopology();
            var delay = Min(backoff, remaining);
            SessionLog.StoreOperationRetrying(logger, operation, attempt, failure.Message, (long)delay.TotalMilliseconds, (long)remaining.TotalMilliseconds);
            await Task.Delay(delay, cancellationToken);
            backoff = Min(backoff * 2, MaxBackoff);
            attemptTimeout *= 2;
        }
    }

    /// <summary>Failures a failover or reconnect causes and that a later attempt can overcome.</summary>
    internal static bool IsTransient(Exception exception) => exception switch
    {
        RedisConnectionException or TimeoutException => true,
        RedisServerException server => IsTransientServerError(server.Message),
        _ => false,
    };

    private static bool IsTransientServerError(string message) =>
        message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal)
        || message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
        || message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
        || message.StartsWith("READONLY", StringComparison.Ordinal)
        || message.StartsWith("LOADING", StringComparison.Ordinal)
        || message.StartsWith("MOVED", StringComparison.Ordinal)
        || message.StartsWith("ASK", StringComparison.Ordinal);

    /// <summary>
    /// StackExchange.Redis takes no cancellation token: stop waiting after <paramref name="timeout"/> and observe the
    /// abandoned attempt's late failure, so it is not an unobserved task exception.
    /// </summary>
    private static Task<T> Bounded<T>(Task<T> attempt, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (attempt.IsCompleted)
        {
            return attempt;
        }

        _ = attempt.ContinueWith(static task => _ = task.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return attempt.WaitAsync(timeout > TimeSpan.Zero ? timeout : TimeSpan.FromMilliseconds(1), cancellationToken);
    }

    /// <summary>After a failure on a cluster, have the client re-read the topology (at most once per interval, not awaited).</summary>
    private void RecheckClusterTopology()
    {
        var last = Interlocked.Read(ref _lastTopologyRecheck);
        if (Stopwatch.GetElapsedTime(last) < TopologyRecheckInterval
            || Interlocked.CompareExchange(ref _lastTopologyRecheck, Stopwatch.GetTimestamp(), last) != last
            || !IsCluster())
        {
            return;
        }

        _ = redis.ConfigureAsync().ContinueWith(static task => _ = task.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private bool IsCluster() => redis.GetServers().Any(server => server.IsConnected && server.ServerType == ServerType.Cluster);

    private static TimeSpan Min(TimeSpan left, TimeSpan right) => left < right ? left : right;
}
