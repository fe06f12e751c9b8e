using SeedMcp.Tests.Auth;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>
/// The real server process with real Redis, a real token issuer and a real OTLP receiver (the Aspire dashboard),
/// configured as an operator would: user ids pseudonymised, one baggage key allowed, touches reaching Redis.
/// </summary>
public sealed class WholeTraceFixture : IAsyncLifetime
{
    /// <summary>The caller's subject: it must appear nowhere in telemetry.</summary>
    public const string Subject = "alice-subject-7f3c91";

    public DashboardReceiver Receiver { get; } = new();

    public RedisServerFixture Redis { get; } = new();

    public TestIdentityProvider Provider { get; private set; } = null!;

    public ChildProcess Process { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public Uri Endpoint => new(BaseAddress, "mcp");

    public HttpClient Http { get; } = RawMcp.CreateHttpClient();

    /// <summary>The caller's context of the very first request (initialize), which also fetched discovery and JWKS.</summary>
    public W3CTraceContext FirstRequest { get; } = W3CTraceContext.New();

    public string SessionId { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Receiver.InitializeAsync(), Redis.InitializeAsync());
        Provider = await TestIdentityProvider.StartAsync();
        var environment = Provider.ServerSettings().ToDictionary(pair => pair.Key.Replace(":", "__", StringComparison.Ordinal), pair => pair.Value);
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = Receiver.OtlpGrpcEndpoint.ToString();
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
        environment["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        environment["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        environment["ConnectionStrings__cache"] = Redis.ConnectionString;
        environment["Sessions__TouchInterval"] = "00:00:00";
        environment["Telemetry__PseudonymizeUserIds"] = "true";
        environment["Telemetry__BaggageAllowList__0"] = "tenant";
        environment["Telemetry__BaggageAllowList__1"] = "region";
        environment["Telemetry__BaggageAllowList__2"] = "zone";
        environment["Telemetry__BaggageMaxEntries"] = "2";
        environment["Telemetry__BaggageMaxValueLength"] = "16";
        environment["RateLimiting__Enabled"] = "true";
        // Every request decided in Redis (no permit leases), as every touch is above: each call's trace holds its scripts.
        environment["RateLimiting__LeasePermits"] = "1";
        environment["Logging__LogLevel__Default"] = "Information";
        (Process, BaseAddress) = await ServerProcess.StartAsync(environment);

        Http.DefaultRequestHeaders.Authorization = new("Bearer", Provider.Mint(Subject));
        // The first request carries its context in params._meta only: the validation it triggers fetches discovery
        // and JWKS, and those fetches must land in the caller's trace too.
        using var response = await Http.SendAsync(RawMcp.Post(Endpoint, WholeTraceRequests.WithMeta(RawMcp.Initialize(), FirstRequest.TraceParent)));
        response.EnsureSuccessStatusCode();
        SessionId = response.Headers.GetValues(RawMcp.SessionIdHeader).Single();
        using var initialized = await Http.SendAsync(RawMcp.Post(Endpoint, RawMcp.Initialized, SessionId, McpTestClient.SessionProtocolVersion));
        initialized.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }

        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }

        await Redis.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

public static class WholeTraceRequests
{
    /// <summary>Adds <c>"_meta":{…}</c> to the message's params, as the TypeScript and C# SDK clients send it.</summary>
    public static string WithMeta(string message, string? traceParent, string? baggage = null)
    {
        var fields = new List<string>();
        if (traceParent is not null)
        {
            fields.Add($"\"traceparent\":\"{traceParent}\"");
        }

        if (baggage is not null)
        {
            fields.Add($"\"baggage\":\"{baggage}\"");
        }

        var at = message.IndexOf("\"params\":{", StringComparison.Ordinal) + "\"params\":{".Length;
        return string.Concat(message.AsSpan(0, at), "\"_meta\":{" + string.Join(',', fields) + "},", message.AsSpan(at));
    }
}

[CollectionDefinition(Name)]
public sealed class WholeTraceCollection : ICollectionFixture<WholeTraceFixture>
{
    public const string Name = "whole-trace";
}
