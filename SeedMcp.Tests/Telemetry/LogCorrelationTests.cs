using System.Text.Json;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>The server's real console output: one JSON object per line, carrying the ids of the request that logged it.</summary>
public sealed class LogCorrelationTests
{
    [Fact]
    public async Task Logs_written_inside_a_request_carry_its_trace_and_span_ids()
    {
        var (process, baseAddress) = await ServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Logging__LogLevel__Default"] = "Information",
        });
        await using var serverProcess = process;
        using var http = RawMcp.CreateHttpClient();
        var caller = W3CTraceContext.New();

        using var initialize = RawMcp.Post(new Uri(baseAddress, "mcp"), RawMcp.Initialize());
        initialize.Headers.Add("traceparent", caller.TraceParent);
        using var response = await http.SendAsync(initialize);
        var sessionId = response.Headers.GetValues(RawMcp.SessionIdHeader).Single();

        var line = await Eventually.GetAsync(
            () => process.Output.FirstOrDefault(candidate => candidate.Contains(sessionId, StringComparison.Ordinal) && candidate.Contains("opened", StringComparison.Ordinal)),
            "the 'session opened' log line");
        var log = JsonDocument.Parse(line).RootElement;

        Assert.Equal(caller.TraceId, log.GetProperty("traceId").GetString());
        Assert.Matches("^[0-9a-f]{16}$", log.GetProperty("spanId").GetString());
        Assert.NotEqual(caller.SpanId, log.GetProperty("spanId").GetString());
        Assert.Equal("Information", log.GetProperty("level").GetString());
        Assert.True(DateTimeOffset.TryParse(log.GetProperty("timestamp").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Contains($"MCP session {sessionId} opened", log.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(sessionId, log.GetProperty("SessionId").GetString());
        Assert.Equal("anonymous", log.GetProperty("UserId").GetString());
    }

    [Fact]
    public async Task Every_console_line_is_a_json_object()
    {
        var (process, _) = await ServerProcess.StartAsync(new Dictionary<string, string?>());
        await using var serverProcess = process;

        await Eventually.GetAsync(() => process.Output.FirstOrDefault(line => line.Contains("Now listening", StringComparison.Ordinal)), "the startup log");

        Assert.All(process.Output.Where(line => line.Length > 0), line => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind));
    }
}
