using Microsoft.Extensions.Time.Testing;
using SeedMcp.Server.RateLimiting;
using SeedMcp.Server.Redis;
using SeedMcp.Tests.Support;
using StackExchange.Redis;

namespace SeedMcp.Tests.RateLimiting;

/// <summary>
/// Replicas leasing permits from one Redis counter (several <see cref="PermitLeases"/> on one real redis-server, each
/// standing for a replica), on a clock the test moves: how many requests need Redis, and the accuracy bound the
/// options document — never over the limit, at most replicas × batch held unspent, given back when a lease ends.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class PermitLeasesTests(RedisServerFixture redis) : IDisposable
{
    private const string Caller = "user:alice";

    // A day: the fixed windows start at UTC midnight, so a test run does not straddle two of them.
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly RedisKeys _keys = new("lease-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
    private readonly List<PermitLeases> _replicas = [];

    public void Dispose()
    {
        foreach (var replica in _replicas)
        {
            replica.Dispose();
        }
    }

    [Fact]
    public async Task One_request_in_a_batch_asks_Redis_the_others_are_decided_from_memory()
    {
        var replica = Replica(leasePermits: 10);

        var decisions = await TakeAsync(replica, limit: 1000, count: 25);

        Assert.All(decisions, decision => Assert.True(decision.Accepted));
        // Three batches of ten counted for 25 requests: 3 round trips instead of 25.
        Assert.Equal(30, await CountedAsync());
    }

    [Fact]
    public async Task Requests_that_find_the_lease_empty_together_share_one_refill()
    {
        var replica = Replica(leasePermits: 10);

        // Fifty at once on an empty lease: without one shared refill each would take a batch (500 counted).
        var decisions = await Task.WhenAll(Enumerable.Range(0, 50)
            .Select(_ => Task.Run(async () => await replica.TakeAsync(Caller, limit: 1000, permits: 1, CancellationToken.None))));

        Assert.All(decisions, decision => Assert.True(decision.Accepted));
        Assert.Equal(50, await CountedAsync());
    }

    [Fact]
    public async Task Replicas_together_never_admit_more_than_the_limit_and_hold_at_most_one_batch_each()
    {
        LeaseDecision[][] replicas = [[], [], []];
        var leases = replicas.Select(_ => Replica(leasePermits: 10)).ToArray();

        // One request on each replica: each now holds one batch, counted in Redis and not yet spent.
        for (var i = 0; i < leases.Length; i++)
        {
            replicas[i] = [.. replicas[i], .. await TakeAsync(leases[i], limit: 100, count: 1)];
        }

        var heldAfterFirst = await CountedAsync() - leases.Length;
        for (var round = 0; round < 50; round++)
        {
            for (var i = 0; i < leases.Length; i++)
            {
                replicas[i] = [.. replicas[i], .. await TakeAsync(leases[i], limit: 100, count: 1)];
            }
        }

        Assert.Equal(3 * 9, heldAfterFirst); // replicas × (batch − the one spent)
        Assert.Equal(100, replicas.Sum(decisions => decisions.Count(decision => decision.Accepted)));
        Assert.Equal(100, await CountedAsync());
    }

    [Fact]
    public async Task A_lease_that_ends_gives_its_unspent_permits_back_and_is_forgotten()
    {
        var replica = Replica(leasePermits: 10, leaseDuration: TimeSpan.FromSeconds(5));
        await TakeAsync(replica, limit: 1000, count: 1);
        var counted = await CountedAsync();

        _clock.Advance(TimeSpan.FromSeconds(5)); // the sweep runs every lease duration
        var afterSweep = await CountedAsync();

        Assert.Equal(10, counted);
        Assert.Equal(1, afterSweep);
        Assert.Equal(0, replica.Count);
    }

    [Fact]
    public async Task A_lease_is_not_spent_past_the_end_of_the_window_it_was_counted_in()
    {
        // A one-second window and a lease duration far beyond it: the window's end must end the lease.
        var replica = Replica(leasePermits: 10, leaseDuration: TimeSpan.FromMinutes(1), window: TimeSpan.FromSeconds(1));
        var first = (await TakeAsync(replica, limit: 1000, count: 1))[0];

        _clock.Advance(TimeSpan.FromSeconds(1));
        var second = (await TakeAsync(replica, limit: 1000, count: 1))[0];

        Assert.True(first.Accepted);
        Assert.True(second.Accepted);
        // Asked Redis again (a new batch), rather than spending the first batch's rest in a window it was not counted
        // in: 1 spent of the first batch (its 9 given back) and the new batch of 10. From memory it would be 10.
        Assert.Equal(11, await CountedAsync());
    }

    [Fact]
    public async Task A_permit_given_back_is_spent_again_without_Redis()
    {
        var replica = Replica(leasePermits: 10);
        var taken = (await TakeAsync(replica, limit: 1000, count: 1))[0];

        replica.GiveBack(taken, permits: 1);
        await TakeAsync(replica, limit: 1000, count: 10);

        Assert.Equal(10, await CountedAsync());
    }

    [Fact]
    public async Task A_small_limit_is_decided_in_Redis_request_by_request()
    {
        // A tenth of 15 is one permit: no lease, so no replica ever holds a permit it has not spent.
        var replica = Replica(leasePermits: 10);

        var decisions = await TakeAsync(replica, limit: 15, count: 16);

        Assert.Equal(15, decisions.Count(decision => decision.Accepted));
        Assert.All(decisions, decision => Assert.Null(decision.Lease));
        Assert.Equal(15, await CountedAsync());
    }

    private PermitLeases Replica(int leasePermits, TimeSpan? leaseDuration = null, TimeSpan? window = null)
    {
        var settings = new RateLimitingOptions
        {
            LeasePermits = leasePermits,
            LeaseDuration = leaseDuration ?? TimeSpan.FromSeconds(5),
            Window = window ?? Day,
            RedisTimeout = TimeSpan.FromSeconds(10),
        };
        var replica = new PermitLeases(() => redis.Connection.GetDatabase(), _keys.RateLimitCaller, settings, _clock);
        _replicas.Add(replica);
        return replica;
    }

    private static async Task<LeaseDecision[]> TakeAsync(PermitLeases replica, int limit, int count)
    {
        var decisions = new LeaseDecision[count];
        for (var i = 0; i < count; i++)
        {
            decisions[i] = await replica.TakeAsync(Caller, limit, permits: 1, CancellationToken.None);
        }

        return decisions;
    }

    /// <summary>Permits counted in the caller's counter, over its fixed windows, after every refund sent has arrived.</summary>
    private async Task<long> CountedAsync()
    {
        var database = redis.Connection.GetDatabase();
        await database.PingAsync(); // refunds are sent without waiting; a command behind them sees their effect
        return (await database.HashValuesAsync(_keys.RateLimitCaller(Caller))).Sum(count => (long)count);
    }
}
