using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Tools;

/// <summary>Every tool through a real MCP client over Streamable HTTP against the real server (in-memory sessions).</summary>
public sealed class ToolsOverHttpTests : IAsyncLifetime
{
    private ServerHost _server = null!;
    private McpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerHost.StartAsync();
        _client = await McpTestClient.ConnectAsync(_server.McpEndpoint);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task The_four_tools_are_listed_with_descriptions()
    {
        var tools = await _client.ListToolsAsync();

        Assert.Equal(["echo", "healthcheck", "system_status", "user_info"], tools.Select(tool => tool.Name).Order());
        Assert.All(tools, tool => Assert.False(string.IsNullOrWhiteSpace(tool.Description)));
        var echo = tools.Single(tool => tool.Name == "echo");
        Assert.False(string.IsNullOrWhiteSpace(echo.JsonSchema.GetProperty("properties").GetProperty("message").GetProperty("description").GetString()));
    }

    [Fact]
    public async Task Echo_returns_its_message()
    {
        var result = await _client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "hello, tracing" });

        Assert.NotEqual(true, result.IsError);
        Assert.Equal("hello, tracing", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    [Fact]
    public async Task Healthcheck_reports_the_health_checks()
    {
        var result = await _client.CallToolAsync("healthcheck");

        var report = ToolResults.Structured(result);
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Contains(report.GetProperty("checks").EnumerateArray(), check => check.GetProperty("name").GetString() == "self");
    }

    [Fact]
    public async Task System_status_reports_process_sessions_and_redis_figures()
    {
        var result = await _client.CallToolAsync("system_status");

        var status = ToolResults.Structured(result);
        Assert.True(status.GetProperty("uptimeSeconds").GetDouble() > 0);
        Assert.True(status.GetProperty("memory").GetProperty("workingSetBytes").GetInt64() > 0);
        Assert.Equal("memory", status.GetProperty("sessions").GetProperty("store").GetString());
        Assert.True(status.GetProperty("sessions").GetProperty("active").GetInt64() >= 1);
        Assert.False(status.GetProperty("redis").GetProperty("configured").GetBoolean());
        Assert.False(string.IsNullOrEmpty(status.GetProperty("version").GetString()));
    }

    [Fact]
    public async Task User_info_says_anonymous_without_a_token()
    {
        var result = await _client.CallToolAsync("user_info");

        var info = ToolResults.Structured(result);
        Assert.False(info.GetProperty("authenticated").GetBoolean());
        Assert.Equal("anonymous", info.GetProperty("subject").GetString());
    }

    [Theory]
    [InlineData("{}", "Invalid arguments for tool 'echo': missing required argument 'message'.")]
    [InlineData("""{"message":42}""", "Invalid arguments for tool 'echo': argument 'message' must be a string, but was a number.")]
    public async Task Invalid_arguments_get_a_clear_tool_error(string arguments, string expected)
    {
        var result = await _client.CallToolAsync(new CallToolRequestParams
        {
            Name = "echo",
            Arguments = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(arguments),
        });

        Assert.True(result.IsError);
        Assert.Equal(expected, Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    [Fact]
    public async Task An_unknown_tool_is_a_json_rpc_error_naming_it()
    {
        var error = await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(() => _client.CallToolAsync("no_such_tool").AsTask());

        Assert.Contains("no_such_tool", error.Message, StringComparison.Ordinal);
    }
}
