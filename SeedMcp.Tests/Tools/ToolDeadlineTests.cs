using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Tools;

/// <summary>Runaway tools meet the per-call deadline; a client's cancellation reaches the tool.</summary>
public sealed class ToolDeadlineTests : IAsyncLifetime
{
    private TracedServer _server = null!;
    private McpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TracedServer.StartAsync(
            new Dictionary<string, string?> { ["Tools:CallTimeout"] = "00:00:00.500" },
            services =>
            {
                services.AddSingleton<SlowToolProbe>();
                services.AddMcpServer().WithTools<SlowTool>();
            });
        _client = await McpTestClient.ConnectAsync(_server.Host.McpEndpoint);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData("wait")]
    [InlineData("stubborn")]
    public async Task A_tool_past_its_deadline_is_answered_with_a_timeout_error(string tool)
    {
        var stopwatch = Stopwatch.StartNew();
        var result = await _client.CallToolAsync(tool, new Dictionary<string, object?> { ["milliseconds"] = 10_000 });
        stopwatch.Stop();

        Assert.True(result.IsError);
        Assert.Equal($"Tool '{tool}' did not finish within 0.5 s and was cancelled.", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
        var span = await _server.SpanAsync(candidate => candidate.DisplayName == $"tool.execute.{tool}", $"tool.execute.{tool}");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("timeout", span.GetTagItem("error.type"));
    }

    [Fact]
    public async Task The_deadline_cancels_a_cooperative_tool()
    {
        await _client.CallToolAsync("wait", new Dictionary<string, object?> { ["milliseconds"] = 10_000 });

        await _server.Host.Services.GetRequiredService<SlowToolProbe>().Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
