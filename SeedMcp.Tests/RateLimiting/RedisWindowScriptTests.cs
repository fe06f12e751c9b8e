using SeedMcp.Server.Redis;
using SeedMcp.Server.RateLimiting;
using SeedMcp.Server.Sessions;
using SeedMcp.Tests.Support;
using StackExchange.Redis;

namespace SeedMcp.Tests.RateLimiting;

/// <summary>The one-key decision script against a real redis-server: what it counts, what a refund takes back, how long a counter lives.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisWindowScriptTests(RedisServerFixture redis)
{
    // A day: the fixed windows start at UTC midnight, so a test run does not straddle two of them.
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly RedisKeys _keys = new("script-" + Guid.NewGuid().ToString("N"));

    private IDatabase Database => redis.Connection.GetDatabase();

    private RedisKey Caller => _keys.RateLimitCaller("user:alice");

    [Fact]
    public async Task Accepted_requests_are_counted_and_a_rejected_one_is_not()
    {
        var accepted = new List<bool>();
        for (var i = 0; i < 5; i++)
        {
            accepted.Add((await DecideAsync(limit: 3)).Accepted);
        }

        Assert.Equal([true, true, true, false, false], accepted);
        Assert.Equal(3, await CountedAsync(Caller));
    }

    [Fact]
    public async Task A_refund_takes_back_what_an_accepted_decision_counted_and_never_goes_below_zero()
    {
        var first = await DecideAsync(limit: 10);
        await DecideAsync(limit: 10);

        await RedisWindowScript.RefundAsync(Database, first, permits: 1);
        await Database.PingAsync(); // fire-and-forget: the next command on the connection follows it
        var afterOne = await CountedAsync(Caller);
        await RedisWindowScript.RefundAsync(Database, first, permits: 5);
        await Database.PingAsync();

        Assert.Equal(1, afterOne);
        Assert.Equal(0, await CountedAsync(Caller));
        Assert.False(await Database.HashExistsAsync(Caller, first.WindowNumber));
    }

    [Fact]
    public async Task Requests_of_the_previous_window_still_weigh_on_the_current_one()
    {
        await Database.HashSetAsync(Caller, await CurrentWindowAsync() - 1, 1);

        // Any part of the previous window's one request, plus this one, is more than a limit of 1…
        var rejected = await DecideAsync(limit: 1);
        // …and never more than a limit of 2.
        var accepted = await DecideAsync(limit: 2);

        Assert.False(rejected.Accepted);
        Assert.Equal(new SlidingWindowCounter(0, 1), rejected.Counter);
        Assert.True(accepted.Accepted);
        Assert.InRange(accepted.Elapsed, TimeSpan.Zero, Day);
    }

    [Fact]
    public async Task Each_key_keeps_two_windows_at_most_and_expires_two_windows_after_its_last_request()
    {
        var current = await CurrentWindowAsync();
        await Database.HashSetAsync(Caller, [new HashEntry(current - 2, 5), new HashEntry(current - 1, 1)]);

        await DecideAsync(limit: 100);
        var fields = (await Database.HashKeysAsync(Caller)).Select(field => (long)field).Order().ToArray();

        var window = TimeSpan.FromSeconds(10);
        var bob = _keys.RateLimitCaller("user:bob");
        await RedisWindowScript.EvaluateAsync(Database, bob, window, 100, permits: 1);
        var ttl = await Database.KeyTimeToLiveAsync(bob);

        Assert.Equal([current - 1, current], fields);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMilliseconds(1), window * 2);
    }

    [Fact]
    public void The_global_shares_add_up_to_the_limit_and_no_shard_gets_none()
    {
        var shards = new GlobalLimitShards(globalPermitLimit: 10, configuredShards: 4);
        var few = new GlobalLimitShards(globalPermitLimit: 3, configuredShards: 8);

        Assert.Equal([3, 3, 2, 2], Enumerable.Range(0, shards.Count).Select(shards.LimitOf));
        Assert.Equal(3, few.Count);
        Assert.All(Enumerable.Range(0, few.Count), shard => Assert.Equal(1, few.LimitOf(shard)));
    }

    private Task<RedisWindowScript.Decision> DecideAsync(int limit) =>
        RedisWindowScript.EvaluateAsync(Database, Caller, Day, limit, permits: 1);

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
