using System.Net;
using System.Net.Sockets;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Reliability;

/// <summary>
/// The trace backend accepting connections and then hanging, under 16 concurrent sessions: no call fails, lost spans
/// are counted, and export resumes by itself when a real receiver takes the endpoint over.
/// </summary>
public sealed class TraceBackendOutageTests
{
    private const int Sessions = 16;

    [Fact]
    public async Task A_hanging_backend_costs_no_call_and_export_resumes_when_it_returns()
    {
        var otlpPort = FreePort.Next();
        var hanging = new TcpListener(IPAddress.Loopback, otlpPort);
        hanging.Start();
        var accepted = new List<TcpClient>();
        var accepting = AcceptAndIgnoreAsync(hanging, accepted);

        var (process, baseAddress) = await ServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{otlpPort}",
            ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "1000",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BSP_MAX_QUEUE_SIZE"] = "256",
            ["RateLimiting__Enabled"] = "false",
        });
        await using var serverProcess = process;
        using var http = RawMcp.CreateHttpClient();
        var endpoint = new Uri(baseAddress, "mcp");

        var failures = await LoadAsync(http, endpoint, TimeSpan.FromSeconds(4));

        Assert.Equal(0, failures);
        // The wait is the assertion: it fails unless the lost spans are counted.
        await PrometheusScrape.WaitForSampleAsync(http, baseAddress, """tracing_errors_total{[^}]*destination="primary"[^}]*}""", 1);

        // The backend comes back on the same port: export resumes without a restart.
        hanging.Stop();
        foreach (var client in accepted)
        {
            client.Dispose();
        }

        await accepting;
        await using var receiver = new DashboardReceiver(otlpPort);
        await receiver.InitializeAsync();
        var sessionId = await RawMcp.OpenSessionAsync(http, endpoint);

        // The exporter retries a failing destination after a back-off (at most 15 s), dropping what comes meanwhile:
        // a traced call every few seconds must reach the receiver within a minute.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var arrived = false;
        while (!arrived && DateTime.UtcNow < deadline)
        {
            var trace = W3CTraceContext.New();
            using var request = RawMcp.Post(endpoint, RawMcp.CallTool("echo", """{"message":"back"}"""), sessionId, McpTestClient.SessionProtocolVersion);
            request.Headers.Add("traceparent", trace.TraceParent);
            (await http.SendAsync(request)).Dispose();
            arrived = await ArrivesAsync(receiver, trace.TraceId, TimeSpan.FromSeconds(4));
        }

        Assert.True(arrived, "no traced call reached the receiver within 60 s of the backend's return");
    }

    private static async Task<bool> ArrivesAsync(DashboardReceiver receiver, string traceId, TimeSpan within)
    {
        try
        {
            await DashboardTelemetryApi.WaitForTraceAsync(receiver.Api, traceId, spans => spans.Any(span => span.Name == "tool.execute.echo"), within);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_refusing_backend_is_retried_after_a_backoff_not_on_every_batch()
    {
        // Accepts and at once closes every connection, counting them: each export attempt is one connection.
        var otlpPort = FreePort.Next();
        var refusing = new TcpListener(IPAddress.Loopback, otlpPort);
        refusing.Start();
        var attempts = 0;
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var client = await refusing.AcceptTcpClientAsync();
                    Interlocked.Increment(ref attempts);
                }
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        });

        // Its own process: in the test process, a neighbouring host's meters of the same name would share its series.
        var (process, baseAddress) = await ServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{otlpPort}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["RateLimiting__Enabled"] = "false",
        });
        await using (process)
        {
            using var http = RawMcp.CreateHttpClient();
            var failures = await LoadAsync(http, new Uri(baseAddress, "mcp"), TimeSpan.FromSeconds(4));
            Assert.Equal(0, failures);
            // The wait is the assertion: it fails unless the lost spans are counted.
            await PrometheusScrape.WaitForSampleAsync(http, baseAddress, """tracing_errors_total{[^}]*reason="export_failed"[^}]*}""", 1);
        }

        refusing.Stop();
        await accepting;

        // A batch every 100 ms for over 4 s is 40+ exports; with back-offs of 1, 2 and 4 s only a handful are attempted
        // (an HTTP client may retry a dropped connection once, so up to two connections per attempt).
        Assert.InRange(attempts, 1, 10);
    }

    /// <summary>16 sessions, one call in flight each, for <paramref name="duration"/>; returns the calls that did not succeed.</summary>
    private static async Task<int> LoadAsync(HttpClient http, Uri endpoint, TimeSpan duration)
    {
        var sessions = await Task.WhenAll(Enumerable.Range(0, Sessions).Select(_ => RawMcp.OpenSessionAsync(http, endpoint)));
        var failures = 0;
        var calls = 0;
        var until = DateTime.UtcNow + duration;
        await Task.WhenAll(sessions.Select(sessionId => Task.Run(async () =>
        {
            while (DateTime.UtcNow < until)
            {
                using var response = await http.SendAsync(RawMcp.Post(endpoint, RawMcp.CallTool("echo", """{"message":"load"}"""), sessionId, McpTestClient.SessionProtocolVersion));
                Interlocked.Increment(ref calls);
                if (response.StatusCode != HttpStatusCode.OK || !(await response.Content.ReadAsStringAsync()).Contains("\"result\"", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));
        Assert.True(calls > Sessions, $"only {calls} calls were made");
        return failures;
    }

    private static async Task AcceptAndIgnoreAsync(TcpListener listener, List<TcpClient> accepted)
    {
        try
        {
            while (true)
            {
                accepted.Add(await listener.AcceptTcpClientAsync());
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
