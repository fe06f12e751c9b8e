using System.Net;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Sessions;

/// <summary>Session lifetime as an MCP client sees it over HTTP, with the in-memory store.</summary>
public sealed class SessionHttpTests : IAsyncLifetime, IDisposable
{
    private ServerHost _server = null!;
    private readonly HttpClient _http = RawMcp.CreateHttpClient();

    public void Dispose() => _http.Dispose();

    public async Task InitializeAsync() => _server = await ServerHost.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Initialize_issues_a_session_id_and_its_expiry()
    {
        using var response = await _http.SendAsync(RawMcp.Post(_server.McpEndpoint, RawMcp.Initialize()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(response.Headers.GetValues(RawMcp.SessionIdHeader).Single()));
        var expiresAt = DateTimeOffset.Parse(response.Headers.GetValues("X-Session-Expires-At").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiresAt, DateTimeOffset.UtcNow.AddMinutes(59), DateTimeOffset.UtcNow.AddMinutes(61));
    }

    [Fact]
    public async Task Every_request_pushes_the_expiry_forward()
    {
        var sessionId = await RawMcp.OpenSessionAsync(_http, _server.McpEndpoint);

        using var first = await _http.SendAsync(RawMcp.Post(_server.McpEndpoint, RawMcp.CallTool("echo", """{"message":"a"}"""), sessionId, "2025-11-25"));
        await Task.Delay(50);
        using var second = await _http.SendAsync(RawMcp.Post(_server.McpEndpoint, RawMcp.CallTool("echo", """{"message":"b"}"""), sessionId, "2025-11-25"));

        Assert.True(ExpiresAt(second) > ExpiresAt(first));
    }

    [Fact]
    public async Task An_unknown_session_gets_404_with_a_json_rpc_error()
    {
        using var response = await _http.SendAsync(RawMcp.Post(_server.McpEndpoint, RawMcp.CallTool("echo", """{"message":"x"}"""), "no-such-session", "2025-11-25"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await RawMcp.ReadMessageAsync(response)).GetProperty("error");
        Assert.Equal(-32001, error.GetProperty("code").GetInt32());
        Assert.Contains("Session not found", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_ends_the_session_and_later_requests_get_404()
    {
        var sessionId = await RawMcp.OpenSessionAsync(_http, _server.McpEndpoint);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, _server.McpEndpoint);
        delete.Headers.Add(RawMcp.SessionIdHeader, sessionId);
        using var deleted = await _http.SendAsync(delete);
        using var after = await _http.SendAsync(RawMcp.Post(_server.McpEndpoint, RawMcp.CallTool("echo", """{"message":"x"}"""), sessionId, "2025-11-25"));

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task A_2026_07_28_client_is_served_without_a_session()
    {
        await using var client = await McpTestClient.ConnectAsync(_server.McpEndpoint, McpTestClient.SessionlessProtocolVersion);

        var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "stateless" });

        Assert.Null(client.SessionId);
        Assert.NotEqual(true, result.IsError);
    }

    private static DateTimeOffset ExpiresAt(HttpResponseMessage response) =>
        DateTimeOffset.Parse(response.Headers.GetValues("X-Session-Expires-At").Single(), System.Globalization.CultureInfo.InvariantCulture);
}
