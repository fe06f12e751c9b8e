using SeedMcp.Server.Telemetry;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>
/// With <c>Telemetry:PseudonymizeUserIds=true</c> the caller's subject appears nowhere in telemetry: not in any
/// exported span, not in OTLP logs, not on the console, not in <c>/metrics</c> — while its pseudonym does, where the
/// user id belongs (so a missing user id cannot pass for a hidden one).
/// </summary>
[Collection(WholeTraceCollection.Name)]
public sealed class PseudonymizationTests(WholeTraceFixture fixture)
{
    [Fact]
    public async Task The_subject_appears_in_no_span_log_console_line_or_metric()
    {
        var pseudonym = TelemetryUserId.Format(WholeTraceFixture.Subject, pseudonymize: true);
        var caller = W3CTraceContext.New();
        foreach (var tool in new[] { "user_info", "echo" })
        {
            using var request = RawMcp.Post(fixture.Endpoint, RawMcp.CallTool(tool, tool == "echo" ? """{"message":"x"}""" : "{}"), fixture.SessionId, McpTestClient.SessionProtocolVersion);
            request.Headers.Add("traceparent", (caller with { SpanId = System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString() }).TraceParent);
            using var response = await fixture.Http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            // user_info answers with the subject: the caller may see it, telemetry may not.
            Assert.Contains(tool == "user_info" ? WholeTraceFixture.Subject : "x", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var spans = await fixture.Receiver.WaitForTraceAsync(caller.TraceId, found =>
            found.Count(span => span.Name == "auth.validate") >= 2 && found.Any(span => span.Name == "tool.execute.user_info") && found.Any(span => span.Name == "tool.execute.echo"));
        Assert.All(spans.Where(span => span.Name == "auth.validate"), span => Assert.Equal(pseudonym, span.Attributes["user.id"]));
        Assert.Equal(pseudonym, Assert.Single(spans, span => span.Name == "tool.execute.user_info").Attributes["user.id"]);

        var exportedSpans = await fixture.Receiver.Api.GetStringAsync("/api/telemetry/spans?limit=10000");
        Assert.Contains(pseudonym, exportedSpans, StringComparison.Ordinal);
        Assert.DoesNotContain(WholeTraceFixture.Subject, exportedSpans, StringComparison.Ordinal);

        // The session-opened log (written at the fixture's initialize) names the user: by pseudonym.
        var exportedLogs = await Eventually.GetAsync(async () =>
        {
            var logs = await fixture.Receiver.Api.GetStringAsync("/api/telemetry/logs?limit=10000");
            return logs.Contains("opened by " + pseudonym, StringComparison.Ordinal) ? logs : null;
        }, "the session-opened log over OTLP");
        Assert.DoesNotContain(WholeTraceFixture.Subject, exportedLogs, StringComparison.Ordinal);

        var console = string.Join('\n', fixture.Process.Output);
        Assert.Contains(pseudonym, console, StringComparison.Ordinal);
        Assert.DoesNotContain(WholeTraceFixture.Subject, console, StringComparison.Ordinal);

        using var http = RawMcp.CreateHttpClient();
        var metrics = await http.GetStringAsync(new Uri(fixture.BaseAddress, "metrics"));
        Assert.Contains("seedmcp_tool_calls_total", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(WholeTraceFixture.Subject, metrics, StringComparison.Ordinal);
    }
}
