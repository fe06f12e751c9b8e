using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SeedMcp.Server.RateLimiting;
using SeedMcp.Server.Telemetry;
using SeedMcp.Tests.Auth;
using SeedMcp.Tests.Support;
using static SeedMcp.Tests.RateLimiting.RateLimitedRequests;

namespace SeedMcp.Tests.RateLimiting;

/// <summary>Rate limits on <c>/mcp</c> without Redis: ASP.NET Core's in-process sliding windows.</summary>
public sealed class InProcessRateLimitingTests(IdentityProviderFixture identity) : IClassFixture<IdentityProviderFixture>, IDisposable
{
    private readonly HttpClient _http = RawMcp.CreateHttpClient();
    private readonly TestIdentityProvider _provider = identity.Provider;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task The_request_over_the_limit_gets_429_with_retry_after_and_a_json_rpc_error()
    {
        await using var server = await TracedServer.StartAsync(new Dictionary<string, string?> { ["RateLimiting:PermitLimit"] = "3" });

        Assert.Equal(Repeat(HttpStatusCode.OK, 3), await StatusesAsync(_http, server.Host.McpEndpoint, 3));
        using var rejected = await _http.SendAsync(BearerRequests.StatelessToolCall(server.Host.McpEndpoint, token: null));

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.InRange(rejected.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        var error = (await RawMcp.ReadMessageAsync(rejected)).GetProperty("error");
        Assert.Equal(-32000, error.GetProperty("code").GetInt32());
        Assert.StartsWith("Too Many Requests: at most 3 requests per 60 s are accepted from one caller. Retry after ",
            error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decisions_are_events_on_the_http_server_span()
    {
        await using var server = await TracedServer.StartAsync(new Dictionary<string, string?> { ["RateLimiting:PermitLimit"] = "1" });

        await StatusesAsync(_http, server.Host.McpEndpoint, 2);

        var rejected = await server.SpanAsync(span => EventNamed(span, SeedMcpTelemetry.RateLimiting.RejectedEvent) is not null, "a span with a rejection event");
        var acquired = await server.SpanAsync(span => EventNamed(span, SeedMcpTelemetry.RateLimiting.AcquiredEvent) is not null, "a span with an acquired event");
        Assert.Equal(ActivityKind.Server, rejected.Kind);
        Assert.Equal(429, rejected.GetTagItem("http.response.status_code"));
        var rejection = EventNamed(rejected, SeedMcpTelemetry.RateLimiting.RejectedEvent)!.Value;
        Assert.Equal(RateLimitScope.Caller, Tag(rejection, SeedMcpTelemetry.RateLimiting.ScopeAttribute));
        Assert.Equal(1, Tag(rejection, SeedMcpTelemetry.RateLimiting.PermitLimitAttribute));
        Assert.Equal(ActivityKind.Server, acquired.Kind);
    }

    [Fact]
    public async Task Each_subject_has_its_own_window()
    {
        var settings = _provider.ServerSettings();
        settings["RateLimiting:PermitLimit"] = "2";
        await using var server = await TracedServer.StartAsync(settings);
        var alice = _provider.Mint("alice");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], await StatusesAsync(_http, server.Host.McpEndpoint, 3, alice));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(_http, server.Host.McpEndpoint, _provider.Mint("bob")));
    }

    [Fact]
    public async Task The_global_cap_limits_all_callers_together_and_spares_the_health_endpoints()
    {
        var settings = _provider.ServerSettings();
        settings["RateLimiting:GlobalPermitLimit"] = "3";
        await using var server = await TracedServer.StartAsync(settings);

        foreach (var subject in new[] { "alice", "bob", "carol" })
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(_http, server.Host.McpEndpoint, _provider.Mint(subject)));
        }

        using var rejected = await _http.SendAsync(BearerRequests.StatelessToolCall(server.Host.McpEndpoint, _provider.Mint("dave")));
        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        var message = (await RawMcp.ReadMessageAsync(rejected)).GetProperty("error").GetProperty("message").GetString();
        Assert.Contains("at most 3 requests per 60 s are accepted from all callers together", message, StringComparison.Ordinal);
        using var health = await _http.GetAsync(new Uri(server.Host.BaseAddress, "health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_caller_over_its_own_limit_does_not_spend_the_shared_budget()
    {
        var settings = _provider.ServerSettings();
        settings["RateLimiting:PermitLimit"] = "2";
        settings["RateLimiting:GlobalPermitLimit"] = "4";
        await using var server = await TracedServer.StartAsync(settings);

        var alice = await StatusesAsync(_http, server.Host.McpEndpoint, 6, _provider.Mint("alice"));
        var bob = await StatusesAsync(_http, server.Host.McpEndpoint, 2, _provider.Mint("bob"));
        var carol = await StatusAsync(_http, server.Host.McpEndpoint, _provider.Mint("carol"));

        Assert.Equal([.. Repeat(HttpStatusCode.OK, 2), .. Repeat(HttpStatusCode.TooManyRequests, 4)], alice);
        Assert.Equal(Repeat(HttpStatusCode.OK, 2), bob); // alice's four rejected requests did not count globally
        Assert.Equal(HttpStatusCode.TooManyRequests, carol); // 2 + 2 accepted: the global cap of 4 is reached
    }

    [Fact]
    public async Task Rate_limiting_can_be_turned_off()
    {
        await using var server = await TracedServer.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimiting:Enabled"] = "false",
            ["RateLimiting:PermitLimit"] = "1",
            ["RateLimiting:GlobalPermitLimit"] = "1",
        });

        Assert.Equal(Repeat(HttpStatusCode.OK, 3), await StatusesAsync(_http, server.Host.McpEndpoint, 3));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Turned_off_the_limiter_is_not_in_the_pipeline_at_all(bool enabled)
    {
        var measurements = 0;
        using var listener = new MeterListener();
        await using var server = await TracedServer.StartAsync(new Dictionary<string, string?> { ["RateLimiting:Enabled"] = enabled ? "true" : "false" });
        var serverMeters = server.Host.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, meters) =>
        {
            if (instrument.Meter.Scope == serverMeters && instrument.Meter.Name == "Microsoft.AspNetCore.RateLimiting")
            {
                meters.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref measurements));
        listener.Start();

        Assert.Equal(Repeat(HttpStatusCode.OK, 2), await StatusesAsync(_http, server.Host.McpEndpoint, 2));
        var span = await server.SpanAsync(candidate => candidate.Kind == ActivityKind.Server && candidate.Source.Name == "Microsoft.AspNetCore", "an HTTP server span");

        // ASP.NET Core's limiter counts every request it sees (aspnetcore.rate_limiting.requests and friends).
        Assert.Equal(enabled, Volatile.Read(ref measurements) > 0);
        Assert.Equal(enabled, span.Events.Any(spanEvent => spanEvent.Name.StartsWith("rate_limit.", StringComparison.Ordinal)));
    }

    private static ActivityEvent? EventNamed(Activity span, string name) =>
        span.Events.Cast<ActivityEvent?>().FirstOrDefault(spanEvent => spanEvent!.Value.Name == name);

    private static object? Tag(ActivityEvent spanEvent, string key) =>
        spanEvent.Tags.FirstOrDefault(tag => tag.Key == key).Value;
}
