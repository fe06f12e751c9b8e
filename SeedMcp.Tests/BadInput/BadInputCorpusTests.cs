using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.BadInput;

/// <summary>
/// Every case of <c>bad-input-corpus.json</c> against the real server: the expected status and JSON-RPC or tool error,
/// never a 5xx, and the server still serves the next request.
/// </summary>
public sealed class BadInputCorpusTests : IAsyncLifetime, IDisposable
{
    private ServerHost _server = null!;
    private readonly HttpClient _http = RawMcp.CreateHttpClient();

    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var name in Corpus().Keys)
        {
            names.Add(name);
        }

        return names;
    }

    public async Task InitializeAsync() => _server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["RateLimiting:Enabled"] = "false" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Bad_input_gets_a_clear_answer_and_the_server_keeps_serving(string name)
    {
        var testCase = Corpus()[name];
        var expect = testCase.GetProperty("expect");
        var sessionId = await SessionForAsync(testCase);

        using var request = BuildRequest(testCase, sessionId);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode < 500, $"{name}: {(int)response.StatusCode} {body}");
        Assert.Equal(expect.GetProperty("status").GetInt32(), (int)response.StatusCode);
        if (expect.TryGetProperty("jsonRpcCode", out var code))
        {
            var error = Message(body).GetProperty("error");
            Assert.Equal(code.GetInt32(), error.GetProperty("code").GetInt32());
            if (expect.TryGetProperty("messageContains", out var fragment))
            {
                Assert.Contains(fragment.GetString()!, error.GetProperty("message").GetString(), StringComparison.Ordinal);
            }
        }

        if (expect.TryGetProperty("toolError", out var toolError))
        {
            var result = Message(body).GetProperty("result");
            Assert.True(result.GetProperty("isError").GetBoolean());
            Assert.Contains(toolError.GetString()!, result.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        }

        if (expect.TryGetProperty("toolResultLength", out var length))
        {
            Assert.Equal(length.GetInt32(), Message(body).GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!.Length);
        }

        if (expect.TryGetProperty("result", out _))
        {
            Assert.True(Message(body).TryGetProperty("result", out _), $"{name}: no result in {body}");
        }

        await AssertStillServingAsync();
    }

    private async Task AssertStillServingAsync()
    {
        var sessionId = await RawMcp.OpenSessionAsync(_http, _server.McpEndpoint);
        using var response = await _http.SendAsync(RawMcp.Post(_server.McpEndpoint, RawMcp.CallTool("echo", """{"message":"still here"}"""), sessionId, McpTestClient.SessionProtocolVersion));
        Assert.Equal("still here", (await RawMcp.ReadMessageAsync(response)).GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
    }

    private async Task<string?> SessionForAsync(JsonElement testCase) =>
        testCase.TryGetProperty("session", out var session) ? session.GetString() switch
        {
            "valid" => await RawMcp.OpenSessionAsync(_http, _server.McpEndpoint),
            "unknown" => "no-such-session-" + Guid.NewGuid().ToString("N"),
            _ => null,
        } : null;

    private HttpRequestMessage BuildRequest(JsonElement testCase, string? sessionId)
    {
        var method = testCase.TryGetProperty("method", out var m) ? new HttpMethod(m.GetString()!) : HttpMethod.Post;
        var big = testCase.TryGetProperty("bigChars", out var chars) ? new string('x', chars.GetInt32()) : string.Empty;
        var request = new HttpRequestMessage(method, _server.McpEndpoint);

        if (testCase.TryGetProperty("body", out var body) && body.ValueKind is JsonValueKind.String)
        {
            var bytes = Encoding.UTF8.GetBytes(body.GetString()!.Replace("{{BIG}}", big, StringComparison.Ordinal));
            // Chunked: no Content-Length, so only reading the body can discover it is too large.
            request.Content = testCase.TryGetProperty("chunked", out _) ? new StreamContent(new MemoryStream(bytes)) : new ByteArrayContent(bytes);
            var contentType = testCase.TryGetProperty("contentType", out var type) ? type.GetString() : "application/json";
            if (!string.IsNullOrEmpty(contentType))
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }

        var accept = testCase.TryGetProperty("accept", out var a) ? a.GetString()! : "application/json, text/event-stream";
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (sessionId is not null)
        {
            request.Headers.Add(RawMcp.SessionIdHeader, sessionId);
            request.Headers.Add("MCP-Protocol-Version", McpTestClient.SessionProtocolVersion);
        }

        if (testCase.TryGetProperty("headers", out var headers))
        {
            foreach (var header in headers.EnumerateObject())
            {
                request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString()!.Replace("{{BIG}}", big, StringComparison.Ordinal));
            }
        }

        return request;
    }

    private static JsonElement Message(string body)
    {
        var json = body.TrimStart().StartsWith('{')
            ? body
            : body.Split('\n').First(line => line.StartsWith("data:", StringComparison.Ordinal))[5..].Trim();
        return JsonDocument.Parse(json).RootElement;
    }

    private static Dictionary<string, JsonElement> Corpus()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "BadInput", "bad-input-corpus.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("cases").EnumerateArray()
            .ToDictionary(testCase => testCase.GetProperty("name").GetString()!, testCase => testCase.Clone(), StringComparer.Ordinal);
    }
}
