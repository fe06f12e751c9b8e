using SeedMcp.Server.RateLimiting;
using SeedMcp.Tests.Support;
using StackExchange.Redis;
using Verdict = SeedMcp.Server.RateLimiting.RedisSlidingWindowScript.Verdict;

namespace SeedMcp.Tests.RateLimiting;

/// <summary>The one-round-trip decision script against a real redis-server: what it counts, where, and for how long.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisSlidingWindowScriptTests(RedisServerFixture redis)
{
    // A day: the fixed windows start at UTC midnight, so a test run does not straddle two of them.
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly string _prefix = "script-" + Guid.NewGuid().ToString("N");

    private IDatabase Database => redis.Connection.GetDatabase();

    private RedisKey Caller => $"{{{_prefix}}}:ratelimit:user:alice";

    private RedisKey Global => $"{{{_prefix}}}:ratelimit:global";

    [Fact]
    public async Task Accepted_requests_are_counted_in_both_limits_and_a_rejected_one_in_neither()
    {
        var verdicts = new List<Verdict>();
        for (var i = 0; i < 5; i++)
        {
            verdicts.Add((await DecideAsync(callerLimit: 3, globalLimit: 100)).Verdict);
        }

        Assert.Equal([Verdict.Acquired, Verdict.Acquired, Verdict.Acquired, Verdict.CallerRejected, Verdict.CallerRejected], verdicts);
        Assert.Equal(3, await CountedAsync(Caller));
        Assert.Equal(3, await CountedAsync(Global));
    }

    [Fact]
    public async Task The_global_cap_rejects_without_counting_the_caller()
    {
        await Database.HashSetAsync(Global, await CurrentWindowAsync(), 2);

        var decision = await DecideAsync(callerLimit: 100, globalLimit: 2);

        Assert.Equal(Verdict.GlobalRejected, decision.Verdict);
        Assert.Equal(new SlidingWindowCounter(2, 0), decision.Global);
        Assert.False(await Database.KeyExistsAsync(Caller));
    }

    [Fact]
    public async Task Requests_of_the_previous_window_still_weigh_on_the_current_one()
    {
        await Database.HashSetAsync(Caller, await CurrentWindowAsync() - 1, 1);

        // Any part of the previous window's one request, plus this one, is more than a limit of 1…
        var rejected = await DecideAsync(callerLimit: 1, globalLimit: 100);
        // …and never more than a limit of 2.
        var accepted = await DecideAsync(callerLimit: 2, globalLimit: 100);

        Assert.Equal(Verdict.CallerRejected, rejected.Verdict);
        Assert.Equal(new SlidingWindowCounter(0, 1), rejected.Caller);
        Assert.Equal(Verdict.Acquired, accepted.Verdict);
        Assert.InRange(accepted.Elapsed, TimeSpan.Zero, Day);
    }

    [Fact]
    public async Task Each_key_keeps_two_windows_at_most_and_expires_two_windows_after_its_last_request()
    {
        var current = await CurrentWindowAsync();
        await Database.HashSetAsync(Caller, [new HashEntry(current - 2, 5), new HashEntry(current - 1, 1)]);

        await DecideAsync(callerLimit: 100, globalLimit: 100);
        var fields = (await Database.HashKeysAsync(Caller)).Select(field => (long)field).Order().ToArray();

        var window = TimeSpan.FromSeconds(10);
        RedisKey bob = $"{{{_prefix}}}:ratelimit:user:bob";
        await RedisSlidingWindowScript.EvaluateAsync(Database, bob, Global, window, 100, 100, permits: 1);
        var ttl = await Database.KeyTimeToLiveAsync(bob);

        Assert.Equal([current - 1, current], fields);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMilliseconds(1), window * 2);
    }

    private Task<RedisSlidingWindowScript.Decision> DecideAsync(int callerLimit, int globalLimit) =>
        RedisSlidingWindowScript.EvaluateAsync(Database, Caller, Global, Day, callerLimit, globalLimit, permits: 1);

    /// <summary>The number of the fixed window Redis's clock is in, as the script computes it.</summary>
    private async Task<long> CurrentWindowAsync()
    {
        var time = (RedisValue[])(await Database.ExecuteAsync("TIME"))!;
        var now = ((long)time[0] * 1000) + ((long)time[1] / 1000);
        return now / (long)Day.TotalMilliseconds;
    }

    private async Task<long> CountedAsync(RedisKey key) =>
        (await Database.HashValuesAsync(key)).Sum(count => (long)count);
}
