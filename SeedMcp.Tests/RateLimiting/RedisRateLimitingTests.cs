using System.Net;
using SeedMcp.Server.Redis;
using SeedMcp.Server.Sessions;
using SeedMcp.Tests.Auth;
using SeedMcp.Tests.Support;
using StackExchange.Redis;
using static SeedMcp.Tests.RateLimiting.RateLimitedRequests;

namespace SeedMcp.Tests.RateLimiting;

/// <summary>The Redis-backed limits (sliding-window counters in one-key scripts, leased per replica) against a real redis-server.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisRateLimitingTests(RedisServerFixture redis, IdentityProviderFixture identity) : IClassFixture<IdentityProviderFixture>, IDisposable
{
    private readonly HttpClient _http = RawMcp.CreateHttpClient();
    private readonly string _keyPrefix = "ratelimit-" + Guid.NewGuid().ToString("N");
    private readonly TestIdentityProvider _provider = identity.Provider;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Two_replicas_count_one_caller_in_one_window()
    {
        await using var first = await ServerHost.StartAsync(Settings(permitLimit: 3));
        await using var second = await ServerHost.StartAsync(Settings(permitLimit: 3));
        var token = _provider.Mint("alice");

        HttpStatusCode[] statuses =
        [
            await StatusAsync(_http, first.McpEndpoint, token),
            await StatusAsync(_http, second.McpEndpoint, token),
            await StatusAsync(_http, first.McpEndpoint, token),
            await StatusAsync(_http, second.McpEndpoint, token),
        ];

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(3, await CountedAsync("user:alice"));
        Assert.Equal(3, await CountedAsync("global"));
    }

    [Fact]
    public async Task Each_subject_has_its_own_window_and_a_429_says_when_to_retry()
    {
        await using var server = await ServerHost.StartAsync(Settings(permitLimit: 2));
        var alice = _provider.Mint("alice");

        Assert.Equal(Repeat(HttpStatusCode.OK, 2), await StatusesAsync(_http, server.McpEndpoint, 2, alice));
        using var rejected = await _http.SendAsync(BearerRequests.StatelessToolCall(server.McpEndpoint, alice));

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        // The wait depends on where in the fixed window the requests fell (exact values: SlidingWindowCounterTests):
        // at most the rest of this window plus half the next, as the two counted requests of a limit of 2 slide out.
        var retryAfter = rejected.Headers.RetryAfter?.Delta ?? TimeSpan.Zero;
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(90));
        var message = (await RawMcp.ReadMessageAsync(rejected)).GetProperty("error").GetProperty("message").GetString();
        Assert.EndsWith($"Retry after {retryAfter.TotalSeconds:0} s.", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(_http, server.McpEndpoint, _provider.Mint("bob")));
    }

    [Fact]
    public async Task The_global_cap_is_shared_by_all_callers()
    {
        await using var server = await ServerHost.StartAsync(Settings(permitLimit: 10, globalPermitLimit: 2));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(_http, server.McpEndpoint, _provider.Mint("alice")));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(_http, server.McpEndpoint, _provider.Mint("bob")));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(_http, server.McpEndpoint, _provider.Mint("carol")));
        Assert.Equal(0, await CountedAsync("user:carol")); // turned away by the global cap: not counted for carol either
    }

    [Fact]
    public async Task A_caller_over_its_own_limit_does_not_spend_the_shared_budget()
    {
        await using var server = await ServerHost.StartAsync(Settings(permitLimit: 2, globalPermitLimit: 4));

        var alice = await StatusesAsync(_http, server.McpEndpoint, 5, _provider.Mint("alice"));
        var bob = await StatusesAsync(_http, server.McpEndpoint, 2, _provider.Mint("bob"));

        Assert.Equal([.. Repeat(HttpStatusCode.OK, 2), .. Repeat(HttpStatusCode.TooManyRequests, 3)], alice);
        Assert.Equal(Repeat(HttpStatusCode.OK, 2), bob);
        Assert.Equal(2, await CountedAsync("user:alice"));
        Assert.Equal(4, await CountedAsync("global"));
    }

    [Fact]
    public async Task Anonymous_callers_are_counted_by_client_ip()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = redis.ConnectionString,
            ["Sessions:KeyPrefix"] = _keyPrefix,
            ["RateLimiting:PermitLimit"] = "2",
        });

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], await StatusesAsync(_http, server.McpEndpoint, 3));
        Assert.Equal(2, await CountedAsync("ip:127.0.0.1"));
    }

    /// <summary>Requests counted in a caller's key, or (<c>global</c>) over every shard of the global limit, over all their fixed windows.</summary>
    private async Task<long> CountedAsync(string partition)
    {
        var keys = new RedisKeys(_keyPrefix);
        var database = redis.Connection.GetDatabase();
        RedisKey[] counters = partition == "global"
            ? [.. Enumerable.Range(0, 256).Select(keys.RateLimitGlobalShard)]
            : [keys.RateLimitCaller(partition)];
        await database.PingAsync(); // refunds are sent without waiting; a command behind them sees their effect
        long total = 0;
        foreach (var counter in counters)
        {
            total += (await database.HashValuesAsync(counter)).Sum(count => (long)count);
        }

        return total;
    }

    [Fact]
    public async Task Replicas_lease_permits_in_batches_and_together_admit_exactly_the_limit()
    {
        // A tenth of 20 is a batch of 2: every other request of a replica is decided from memory.
        await using var first = await ServerHost.StartAsync(Settings(permitLimit: 20));
        await using var second = await ServerHost.StartAsync(Settings(permitLimit: 20));
        var token = _provider.Mint("alice");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 15; i++)
        {
            statuses.Add(await StatusAsync(_http, first.McpEndpoint, token));
            statuses.Add(await StatusAsync(_http, second.McpEndpoint, token));
        }

        Assert.Equal(20, statuses.Count(status => status == HttpStatusCode.OK));
        Assert.Equal(10, statuses.Count(status => status == HttpStatusCode.TooManyRequests));
        Assert.Equal(20, await CountedAsync("user:alice"));
    }

    [Theory]
    [InlineData("RateLimiting:LeasePermits", "0", "RateLimiting:LeasePermits (env RateLimiting__LeasePermits) must be between")]
    [InlineData("RateLimiting:LeaseDuration", "00:02:00", "RateLimiting:LeaseDuration (env RateLimiting__LeaseDuration) must be between")]
    public async Task Invalid_lease_settings_refuse_to_start_naming_the_setting(string setting, string value, string expected)
    {
        var settings = Settings(permitLimit: 10);
        settings[setting] = value;

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ServerHost.StartAsync(settings));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The global limit's default here (100 over 8 shards) is small enough that no shard is leased (a tenth of a
    /// shard's share is one permit), so the counts these tests read are the requests'; leases: PermitLeasesTests.
    /// </summary>
    private Dictionary<string, string?> Settings(int permitLimit, int globalPermitLimit = 100)
    {
        var settings = _provider.ServerSettings();
        settings["ConnectionStrings:cache"] = redis.ConnectionString;
        settings["Sessions:KeyPrefix"] = _keyPrefix;
        settings["RateLimiting:PermitLimit"] = permitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["RateLimiting:GlobalPermitLimit"] = globalPermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }
}
