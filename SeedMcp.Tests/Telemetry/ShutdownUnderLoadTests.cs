using System.Net;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>SIGTERM in the middle of steady load: nothing completed is lost, nothing fails but with 503 or a refused connection.</summary>
public sealed class ShutdownUnderLoadTests : IClassFixture<DashboardReceiverFixture>
{
    private const int Sessions = 8;
    private readonly DashboardReceiver _receiver;

    public ShutdownUnderLoadTests(DashboardReceiverFixture fixture) => _receiver = fixture.Receiver;

    [Fact]
    public async Task Every_span_of_every_completed_call_reaches_the_receiver()
    {
        var (process, baseAddress) = await ServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.OtlpGrpcEndpoint.ToString(),
            // Room for every span of the run: this test is about shutdown, not about overload (which drops and counts).
            ["OTEL_BSP_MAX_QUEUE_SIZE"] = "65536",
            ["Shutdown__DrainDelay"] = "00:00:01",
            // Load from one client: the per-caller rate limit (100/min) is not what this test is about.
            ["RateLimiting__Enabled"] = "false",
        });
        await using var serverProcess = process;
        using var http = RawMcp.CreateHttpClient();
        var endpoint = new Uri(baseAddress, "mcp");
        var traces = Enumerable.Range(0, Sessions).Select(_ => W3CTraceContext.New()).ToArray();
        var sessions = await Task.WhenAll(traces.Select(_ => RawMcp.OpenSessionAsync(http, endpoint)));
        var completed = new int[Sessions];
        var unexpected = new System.Collections.Concurrent.ConcurrentBag<string>();

        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, Sessions).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var request = RawMcp.Post(endpoint, RawMcp.CallTool("echo", """{"message":"load"}"""), sessions[i], McpTestClient.SessionProtocolVersion);
                request.Headers.Add("traceparent", (traces[i] with { SpanId = System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString() }).TraceParent);
                try
                {
                    using var response = await http.SendAsync(request);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        // 200 is sent before the tool runs (SSE); only a result in the body means the call completed.
                        if ((await response.Content.ReadAsStringAsync()).Contains("\"result\"", StringComparison.Ordinal))
                        {
                            completed[i]++;
                        }
                        else
                        {
                            unexpected.Add("200 without a result");
                        }
                    }
                    else if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                    {
                        unexpected.Add($"{(int)response.StatusCode}");
                    }
                }
                catch (HttpRequestException)
                {
                    // The listener is gone: the process finished stopping.
                    return;
                }
            }
        })).ToArray();

        await Task.Delay(1000);
        process.Terminate();
        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        Assert.True(unexpected.IsEmpty, "unexpected statuses: " + string.Join(", ", unexpected));
        Assert.Equal(0, process.ExitCode);
        for (var i = 0; i < Sessions; i++)
        {
            Assert.True(completed[i] > 0, $"session {i} completed no call before SIGTERM");
            var expected = completed[i];
            var spans = await _receiver.WaitForTraceAsync(traces[i].TraceId, found => found.Count(span => span.Name == "tool.execute.echo") >= expected);
            Assert.Equal(expected, spans.Count(span => span.Name == "tool.execute.echo"));
            Assert.Equal(expected, spans.Count(span => span.Name == "tools/call echo"));
        }
    }
}
