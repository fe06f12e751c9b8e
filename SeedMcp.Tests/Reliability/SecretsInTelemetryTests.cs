using System.Net;
using SeedMcp.Tests.Auth;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Reliability;

/// <summary>
/// A session with a real bearer token and a tool argument holding a known secret; then every exported span and log
/// record (at a real OTLP receiver), every console line and every /metrics line is searched for either.
/// </summary>
public sealed class SecretsInTelemetryTests
{
    [Fact]
    public async Task Neither_the_token_nor_a_secret_argument_reaches_any_telemetry()
    {
        await using var provider = await TestIdentityProvider.StartAsync();
        await using var receiver = new DashboardReceiver();
        await receiver.InitializeAsync();
        var environment = provider.ServerSettings().ToDictionary(setting => setting.Key.Replace(":", "__", StringComparison.Ordinal), setting => setting.Value);
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.OtlpGrpcEndpoint.ToString();
        environment["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        environment["OTEL_BLRP_SCHEDULE_DELAY"] = "200";
        var (process, baseAddress) = await ServerProcess.StartAsync(environment);
        await using var serverProcess = process;
        using var http = RawMcp.CreateHttpClient();
        var endpoint = new Uri(baseAddress, "mcp");
        var token = provider.Mint("secret-keeper");
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        var trace = W3CTraceContext.New();

        var sessionId = await OpenAuthenticatedSessionAsync(http, endpoint, token);
        foreach (var call in new[] { RawMcp.CallTool("echo", $$"""{"message":"{{secret}}"}"""), RawMcp.CallTool("user_info") })
        {
            using var request = RawMcp.Post(endpoint, call, sessionId, McpTestClient.SessionProtocolVersion);
            request.Headers.Authorization = new("Bearer", token);
            request.Headers.Add("traceparent", trace.TraceParent);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await DashboardTelemetryApi.WaitForTraceAsync(receiver.Api, trace.TraceId, spans => spans.Any(span => span.Name == "tool.execute.user_info"));
        var exportedSpans = await receiver.Api.GetStringAsync("/api/telemetry/spans?limit=10000");
        var exportedLogs = await receiver.Api.GetStringAsync("/api/telemetry/logs?limit=10000");
        var metrics = await http.GetStringAsync(new Uri(baseAddress, "metrics"));
        var console = string.Join('\n', process.Output);

        Assert.Contains("secret-keeper", exportedSpans, StringComparison.Ordinal); // the subject is there: the search looks in the right place
        var signature = token.Split('.')[2];
        foreach (var (what, text) in new[] { ("exported spans", exportedSpans), ("exported logs", exportedLogs), ("/metrics", metrics), ("console", console) })
        {
            Assert.False(text.Contains(token, StringComparison.Ordinal), $"the bearer token appears in {what}");
            Assert.False(text.Contains(signature, StringComparison.Ordinal), $"the token's signature appears in {what}");
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"the secret argument appears in {what}");
        }
    }

    private static async Task<string> OpenAuthenticatedSessionAsync(HttpClient http, Uri endpoint, string token)
    {
        using var initialize = RawMcp.Post(endpoint, RawMcp.Initialize());
        initialize.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(initialize);
        response.EnsureSuccessStatusCode();
        var sessionId = response.Headers.GetValues(RawMcp.SessionIdHeader).Single();
        using var initialized = RawMcp.Post(endpoint, RawMcp.Initialized, sessionId, McpTestClient.SessionProtocolVersion);
        initialized.Headers.Authorization = new("Bearer", token);
        (await http.SendAsync(initialized)).EnsureSuccessStatusCode();
        return sessionId;
    }
}
