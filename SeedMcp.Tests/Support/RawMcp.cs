using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SeedMcp.Tests.Support;

/// <summary>MCP over plain HttpClient, for tests that need exact control of headers and status codes.</summary>
public static class RawMcp
{
    public const string SessionIdHeader = "Mcp-Session-Id";

    /// <summary>
    /// An HttpClient that never writes its own traceparent: the tests send trace contexts they chose, and in a process
    /// where OpenTelemetry listens to HttpClient, the default handler would replace them with its own span's.
    /// </summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler { ActivityHeadersPropagator = null });

    public static HttpRequestMessage Post(Uri endpoint, string json, string? sessionId = null, string? protocolVersion = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (sessionId is not null)
        {
            request.Headers.Add(SessionIdHeader, sessionId);
        }

        if (protocolVersion is not null)
        {
            request.Headers.Add("MCP-Protocol-Version", protocolVersion);
        }

        return request;
    }

    public static string Initialize(int id = 1) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\"," +
        "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw-test\",\"version\":\"1\"}}}";

    public const string Initialized = """{"jsonrpc":"2.0","method":"notifications/initialized"}""";

    public static string CallTool(string name, string argumentsJson = "{}", int id = 2) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + name + "\",\"arguments\":" + argumentsJson + "}}";

    /// <summary>Opens a session the way a client does (initialize, then initialized) and returns its id.</summary>
    public static async Task<string> OpenSessionAsync(HttpClient http, Uri endpoint)
    {
        using var response = await http.SendAsync(Post(endpoint, Initialize()));
        response.EnsureSuccessStatusCode();
        var sessionId = response.Headers.GetValues(SessionIdHeader).Single();
        using var initialized = await http.SendAsync(Post(endpoint, Initialized, sessionId, "2025-11-25"));
        initialized.EnsureSuccessStatusCode();
        return sessionId;
    }

    /// <summary>
    /// Opens a session and calls <c>echo</c> in it as a caller that traces: the call carries the <c>traceparent</c> of
    /// a new trace context and must be answered 200. Returns the session and the caller's context (the trace to find).
    /// </summary>
    public static async Task<(string SessionId, W3CTraceContext Caller)> CallEchoInNewTraceAsync(HttpClient http, Uri endpoint, string message)
    {
        var sessionId = await OpenSessionAsync(http, endpoint);
        var caller = W3CTraceContext.New();
        using var request = Post(endpoint, CallTool("echo", JsonSerializer.Serialize(new { message })), sessionId, McpTestClient.SessionProtocolVersion);
        request.Headers.Add("traceparent", caller.TraceParent);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (sessionId, caller);
    }

    /// <summary>The JSON-RPC message in a response body, whether sent as plain JSON or as one SSE event.</summary>
    public static async Task<JsonElement> ReadMessageAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        var json = body.TrimStart().StartsWith('{')
            ? body
            : body.Split('\n').Where(line => line.StartsWith("data:", StringComparison.Ordinal)).Select(line => line[5..].Trim()).First();
        return JsonDocument.Parse(json).RootElement.Clone();
    }
}
