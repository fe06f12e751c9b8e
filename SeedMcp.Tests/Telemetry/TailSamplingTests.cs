using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>
/// In-process tail sampling against the real server process and a real OTLP receiver: with a head ratio of 0, the
/// failing calls' traces arrive whole and the successful ones not at all; every call is kept when the threshold is
/// tiny; a caller's sampled flag is always honoured. Callers send unsampled (or sampled) contexts so the test knows
/// every trace id, half in the <c>traceparent</c> header and half in <c>params._meta</c>.
/// </summary>
public sealed class TailSamplingTests(TailSamplingFixture fixture) : IClassFixture<TailSamplingFixture>, IDisposable
{
    private const string HttpSpan = "POST /mcp/";
    private readonly HttpClient _http = RawMcp.CreateHttpClient();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task With_ratio_zero_every_failing_trace_arrives_whole_and_no_successful_one_does()
    {
        var endpoint = new Uri(fixture.ErrorsOnlyAddress, "mcp");
        var sessionId = await RawMcp.OpenSessionAsync(_http, endpoint);
        var failing = new List<W3CTraceContext>();
        var succeeding = new List<W3CTraceContext>();

        // A caller mistake first (-32602, unknown tool): the SDK marks it ERROR, the span-end hook clears that before
        // the buffer looks, so it is not kept.
        var mistake = W3CTraceContext.New();
        await CallAsync(endpoint, sessionId, RawMcp.CallTool("no_such_tool"), Unsampled(mistake), inMeta: false);
        succeeding.Add(mistake);

        for (var i = 0; i < 8; i++)
        {
            var caller = W3CTraceContext.New();
            // echo without its required argument: an isError result, its tool span ERROR (not a JSON-RPC error).
            var fails = i % 2 == 1;
            await CallAsync(endpoint, sessionId, RawMcp.CallTool("echo", fails ? "{}" : """{"message":"fine"}"""), Unsampled(caller), inMeta: i % 4 < 2);
            (fails ? failing : succeeding).Add(caller);
        }

        foreach (var caller in failing)
        {
            var spans = await WaitForTraceAsync(fixture.ErrorsOnlyAddress, caller.TraceId, found =>
                found.Any(span => span.Name == HttpSpan) && found.Any(span => span.Name == "tools/call echo") && found.Any(span => span.Name == "tool.execute.echo")
                && found.Any(span => span.Name == "session.touch"));
            var http = spans.Single(span => span.Name == HttpSpan);
            var mcp = spans.Single(span => span.Name == "tools/call echo");
            var tool = spans.Single(span => span.Name == "tool.execute.echo");
            Assert.Equal(OtlpSpan.ServerKind, http.Kind);
            Assert.Equal(caller.SpanId, http.ParentSpanId);
            Assert.Equal(mcp.SpanId, tool.ParentSpanId);
            Assert.Equal(OtlpSpan.ErrorStatus, tool.StatusCode);
            // The provider's resource reached the exporter behind the buffer.
            Assert.NotNull(http.ServiceInstanceId);
        }

        // The last call failed and has arrived; anything exported before it has arrived too. A margin for stragglers.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        foreach (var caller in succeeding)
        {
            Assert.Empty(await SpansOfAsync(caller.TraceId));
        }

        await PrometheusScrape.WaitForSampleAsync(_http, fixture.ErrorsOnlyAddress, """tracing_tail_decisions_total{[^}]*outcome="kept_error"[^}]*}""", minimum: failing.Count);
        await PrometheusScrape.WaitForSampleAsync(_http, fixture.ErrorsOnlyAddress, """tracing_tail_decisions_total{[^}]*outcome="dropped"[^}]*}""", minimum: succeeding.Count);
        var scrape = await _http.GetStringAsync(new Uri(fixture.ErrorsOnlyAddress, "metrics"));
        Assert.Matches("""(?m)^tracing_tail_decisions_total\{[^}]*outcome="kept_slow"[^}]*\} 0( |$)""", scrape);
        Assert.Matches("""(?m)^tracing_errors_total\{[^}]*reason="tail_buffer_full"[^}]*\} 0( |$)""", scrape);
    }

    [Fact]
    public async Task A_caller_sampled_trace_always_arrives()
    {
        var endpoint = new Uri(fixture.ErrorsOnlyAddress, "mcp");
        var sessionId = await RawMcp.OpenSessionAsync(_http, endpoint);
        foreach (var inMeta in new[] { false, true })
        {
            var caller = W3CTraceContext.New();
            await CallAsync(endpoint, sessionId, RawMcp.CallTool("echo", """{"message":"sampled"}"""), caller.TraceParent, inMeta);

            var spans = await fixture.Receiver.WaitForTraceAsync(caller.TraceId, found =>
                found.Any(span => span.Name == HttpSpan) && found.Any(span => span.Name == "tool.execute.echo"));
            Assert.Equal(caller.SpanId, spans.Single(span => span.Name == HttpSpan).ParentSpanId);
        }

        await PrometheusScrape.WaitForSampleAsync(_http, fixture.ErrorsOnlyAddress, """tracing_tail_decisions_total{[^}]*outcome="kept_head"[^}]*}""", minimum: 2);
    }

    [Fact]
    public async Task With_a_tiny_threshold_successful_calls_arrive_as_slow()
    {
        var endpoint = new Uri(fixture.EverythingSlowAddress, "mcp");
        var sessionId = await RawMcp.OpenSessionAsync(_http, endpoint);
        var callers = new List<W3CTraceContext>();
        for (var i = 0; i < 3; i++)
        {
            var caller = W3CTraceContext.New();
            // A warm server answers system_status in under 1 ms: the caller sends its body slowly, so that the call
            // outlasts the threshold whatever the machine's speed (a fast call is rightly dropped).
            await CallAsync(endpoint, sessionId, RawMcp.CallTool("system_status"), Unsampled(caller), inMeta: i == 1, bodyPause: TimeSpan.FromMilliseconds(20));
            callers.Add(caller);
        }

        foreach (var caller in callers)
        {
            var spans = await WaitForTraceAsync(fixture.EverythingSlowAddress, caller.TraceId, found =>
                found.Any(span => span.Name == HttpSpan) && found.Any(span => span.Name == "tools/call system_status")
                && found.Any(span => span.Name == "tool.execute.system_status"));
            Assert.DoesNotContain(spans, span => span.StatusCode == OtlpSpan.ErrorStatus);
        }

        await PrometheusScrape.WaitForSampleAsync(_http, fixture.EverythingSlowAddress, """tracing_tail_decisions_total{[^}]*outcome="kept_slow"[^}]*}""", minimum: callers.Count);
    }

    /// <summary>Waits for a trace; when it does not arrive, says what the server counted (decisions, losses).</summary>
    private async Task<IReadOnlyList<OtlpSpan>> WaitForTraceAsync(Uri address, string traceId, Func<IReadOnlyList<OtlpSpan>, bool> complete)
    {
        try
        {
            return await fixture.Receiver.WaitForTraceAsync(traceId, complete);
        }
        catch (TimeoutException timeout)
        {
            var scrape = await _http.GetStringAsync(new Uri(address, "metrics"));
            throw new TimeoutException(string.Join('\n', [
                timeout.Message,
                .. scrape.Split('\n').Where(line => line.StartsWith("tracing_tail_", StringComparison.Ordinal) || line.StartsWith("tracing_errors_", StringComparison.Ordinal))]));
        }
    }

    private static string Unsampled(W3CTraceContext caller) => $"00-{caller.TraceId}-{caller.SpanId}-00";

    private async Task CallAsync(Uri endpoint, string sessionId, string message, string traceParent, bool inMeta, TimeSpan? bodyPause = null)
    {
        var body = inMeta ? WholeTraceRequests.WithMeta(message, traceParent) : message;
        using var request = RawMcp.Post(endpoint, body, sessionId, McpTestClient.SessionProtocolVersion);
        if (bodyPause is { } pause)
        {
            request.Content = new SlowBody(body, pause);
        }

        if (!inMeta)
        {
            request.Headers.Add("traceparent", traceParent);
        }

        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsStringAsync();
    }

    /// <summary>
    /// A JSON body sent in two halves some milliseconds apart, as a slow caller sends it: the server's span for the
    /// request, started with its headers, lasts at least that long.
    /// </summary>
    private sealed class SlowBody : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly TimeSpan _pause;

        public SlowBody(string json, TimeSpan pause)
        {
            _bytes = Encoding.UTF8.GetBytes(json);
            _pause = pause;
            Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var half = _bytes.Length / 2;
            await stream.WriteAsync(_bytes.AsMemory(0, half));
            await stream.FlushAsync();
            // Not a wait for anything: the slowness is what the test needs, and a delay can only lengthen the call.
            await Task.Delay(_pause);
            await stream.WriteAsync(_bytes.AsMemory(half));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }

    private async Task<IReadOnlyList<OtlpSpan>> SpansOfAsync(string traceId)
    {
        using var response = await fixture.Receiver.Api.GetAsync($"/api/telemetry/spans?traceId={traceId}&limit=10000");
        return response.IsSuccessStatusCode
            ? OtlpSpan.FindAll(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement)
            : [];
    }
}
