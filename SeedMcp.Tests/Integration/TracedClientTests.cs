using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Integration;

/// <summary>
/// The AppHost's traced client (explicit start): started as the dashboard's Start button does, its scenario makes
/// one trace spanning the client process, the server process and Redis, read back from the dashboard's OTLP receiver.
/// </summary>
[Collection(GraphCollection.Name)]
public sealed class TracedClientTests(GraphFixture graph, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Starting_the_client_makes_one_trace_across_client_server_and_redis()
    {
        var commands = graph.App.Services.GetRequiredService<ResourceCommandService>();
        var started = await commands.ExecuteCommandAsync("client", KnownResourceCommands.StartCommand).WaitAsync(GraphFixture.StartupTimeout);
        Assert.True(started.Success, started.Message);
        await graph.App.ResourceNotifications.WaitForResourceAsync("client", KnownResourceStates.TerminalStates).WaitAsync(GraphFixture.StartupTimeout);

        var scenario = await Eventually.GetAsync(async () =>
        {
            var all = OtlpSpan.FindAll(System.Text.Json.JsonDocument.Parse(await graph.Dashboard.GetStringAsync("/api/telemetry/spans?limit=10000")).RootElement);
            return all.FirstOrDefault(span => span.Name == "client.scenario");
        }, "the client's scenario span", TimeSpan.FromSeconds(60));

        var spans = await graph.WaitForTraceAsync(scenario.TraceId, found =>
            found.Count(span => span.Name.StartsWith("tool.execute.", StringComparison.Ordinal)) >= 4
            && found.Any(span => span.Name == "tools/call no_such_tool" && span.Kind == OtlpSpan.ServerKind)
            && found.Any(span => span.Name == "EVALSHA rate_limit") && found.Any(span => span.Name == "PING"));

        output.WriteLine(SeedMcp.Tests.Telemetry.WholeTraceTests.Tree(spans));
        var clientCall = Assert.Single(spans, span => span.Name == "tools/call echo" && span.Kind == OtlpSpan.ClientKind);
        var serverCall = Assert.Single(spans, span => span.Name == "tools/call echo" && span.Kind == OtlpSpan.ServerKind);
        Assert.Equal(clientCall.SpanId, serverCall.ParentSpanId);
        Assert.NotEqual(clientCall.ServiceInstanceId, serverCall.ServiceInstanceId);
        Assert.Contains(spans, span => span.Name == "tools/list" && span.Kind == OtlpSpan.ClientKind);
        // Sessionless (2026-07-28): the conventions say MUST NOT; the SDK's own GUID is removed on the client's spans
        // as on the server's.
        Assert.All(spans.Where(span => span.Name.StartsWith("tools/", StringComparison.Ordinal)),
            span => Assert.False(span.Attributes.ContainsKey("mcp.session.id"), $"{span.Name} ({span.Kind}) carries mcp.session.id"));
        foreach (var tool in new[] { "echo", "healthcheck", "system_status", "user_info" })
        {
            Assert.Contains(spans, span => span.Name == "tool.execute." + tool);
        }

        // The server's HTTP span and its Redis work are in the same trace, under the client's HTTP call.
        var httpServer = spans.Where(span => span.Kind == OtlpSpan.ServerKind && span.Name.StartsWith("POST", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(httpServer);
        Assert.All(httpServer, span => Assert.Contains(spans, parent => parent.SpanId == span.ParentSpanId && parent.Kind == OtlpSpan.ClientKind));
        // Redis: the rate limiter's script on every request, system_status's PING (the SDK's default 2026-07-28
        // protocol is sessionless, so there is no session.touch).
        Assert.Contains(spans, span => span.Name == "EVALSHA rate_limit" && span.Kind == OtlpSpan.ClientKind);
        Assert.Contains(spans, span => span.Name == "PING" && span.Kind == OtlpSpan.ClientKind);
        // The failing call: an error on the client's span, a caller mistake (no error) on the server's.
        Assert.Equal(OtlpSpan.ErrorStatus, Assert.Single(spans, span => span.Name == "tools/call no_such_tool" && span.Kind == OtlpSpan.ClientKind).StatusCode);
        Assert.NotEqual(OtlpSpan.ErrorStatus, Assert.Single(spans, span => span.Name == "tools/call no_such_tool" && span.Kind == OtlpSpan.ServerKind).StatusCode);
    }
}
