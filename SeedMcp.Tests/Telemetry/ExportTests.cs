using System.Net;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>Spans leaving the process over OTLP to a real receiver (the Aspire dashboard), including at shutdown.</summary>
public sealed class ExportTests : IClassFixture<DashboardReceiverFixture>
{
    private readonly DashboardReceiver _receiver;

    public ExportTests(DashboardReceiverFixture fixture) => _receiver = fixture.Receiver;

    [Fact]
    public async Task Spans_of_a_request_completed_just_before_sigterm_reach_the_receiver()
    {
        var (process, baseAddress) = await ServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.OtlpGrpcEndpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
            // A minute between scheduled exports: only the flush at shutdown can deliver these spans in time.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "60000",
        });
        await using var serverProcess = process;
        using var http = RawMcp.CreateHttpClient();
        var endpoint = new Uri(baseAddress, "mcp");
        var sessionId = await RawMcp.OpenSessionAsync(http, endpoint);
        var caller = W3CTraceContext.New();

        using var request = RawMcp.Post(endpoint, RawMcp.CallTool("echo", """{"message":"last words"}"""), sessionId, McpTestClient.SessionProtocolVersion);
        request.Headers.Add("traceparent", caller.TraceParent);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        process.Terminate();
        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, process.ExitCode);

        var spans = await _receiver.WaitForTraceAsync(caller.TraceId, found =>
            found.Any(span => span.Name == "tools/call echo") && found.Any(span => span.Name == "tool.execute.echo") && found.Any(span => span.Name == "session.touch"));
        Assert.Contains(spans, span => span.Kind == OtlpSpan.ServerKind && span.ParentSpanId == caller.SpanId);
    }
}
