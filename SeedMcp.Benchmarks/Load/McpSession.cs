using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SeedMcp.Benchmarks.Load;

/// <summary>
/// One MCP session over Streamable HTTP, spoken with a raw <see cref="HttpClient"/> so the client stays cheap:
/// <c>initialize</c>, <c>notifications/initialized</c>, then <c>tools/call</c> requests whose responses (JSON or SSE)
/// are parsed and checked one by one.
/// </summary>
public sealed class McpSession
{
    public const string ProtocolVersion = "2025-11-25";

    private const string SessionIdHeader = "Mcp-Session-Id";
    private const string ProtocolVersionHeader = "MCP-Protocol-Version";
    private const string Accept = "application/json, text/event-stream";

    private static readonly byte[] InitializeBody = Encoding.UTF8.GetBytes(
        $"{{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{{\"protocolVersion\":\"{ProtocolVersion}\",\"capabilities\":{{}},\"clientInfo\":{{\"name\":\"seedmcp-benchmarks\",\"version\":\"1.0\"}}}}}}");

    private static readonly byte[] InitializedBody = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

    private readonly HttpMessageInvoker _http;
    private readonly Uri _endpoint;
    private readonly string? _bearerToken;
    private byte[] _buffer = new byte[16 * 1024];
    private long _nextId = 1;

    private McpSession(HttpMessageInvoker http, Uri endpoint, string? bearerToken, string sessionId)
    {
        _http = http;
        _endpoint = endpoint;
        _bearerToken = bearerToken;
        SessionId = sessionId;
    }

    public string SessionId { get; }

    /// <summary>Every <c>tools/call</c> this session has sent, measured or not.</summary>
    public long CallsSent => _nextId - 1;

    public static async Task<McpSession> OpenAsync(HttpMessageInvoker http, Uri endpoint, string? bearerToken, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Post, endpoint, bearerToken, sessionId: null, InitializeBody);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK || !response.Headers.TryGetValues(SessionIdHeader, out var ids))
        {
            throw new InvalidOperationException(
                $"initialize at {endpoint} answered {(int)response.StatusCode} without a session: {ToolCall.Truncate(body)}");
        }

        var session = new McpSession(http, endpoint, bearerToken, ids.First());
        using (var initialized = NewRequest(HttpMethod.Post, endpoint, bearerToken, session.SessionId, InitializedBody))
        using (var accepted = await http.SendAsync(initialized, cancellationToken))
        {
            if (accepted.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"notifications/initialized at {endpoint} answered {(int)accepted.StatusCode}, not 202.");
            }
        }

        return session;
    }

    /// <summary>Calls the tool once; null on success, else a description of the failure.</summary>
    public async Task<string?> CallAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var id = _nextId++;
        using var request = NewRequest(HttpMethod.Post, _endpoint, _bearerToken, SessionId, call.Encode(id));
        // SocketsHttpHandler returns once headers are in; the body is read from the connection below.
        using var response = await _http.SendAsync(request, cancellationToken);
        var length = await ReadBodyAsync(response.Content, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return $"HTTP {(int)response.StatusCode}: {ToolCall.Truncate(Encoding.UTF8.GetString(_buffer, 0, length))}";
        }

        var isEventStream = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
        return CheckResponse(_buffer.AsMemory(0, length), isEventStream, id, call);
    }

    /// <summary>Ends the session (<c>DELETE</c>); failures are ignored, the server forgets idle sessions anyway.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var request = NewRequest(HttpMethod.Delete, _endpoint, _bearerToken, SessionId, body: null);
            using var response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException)
        {
        }
    }

    private static string? CheckResponse(ReadOnlyMemory<byte> body, bool isEventStream, long id, ToolCall call)
    {
        if (!isEventStream)
        {
            return CheckMessage(body, id, call) switch
            {
                null => $"no response with id {id}: {ToolCall.Truncate(Encoding.UTF8.GetString(body.Span))}",
                { Length: 0 } => null,
                var failure => failure,
            };
        }

        // SSE: the response travels in a "data:" line of some event; other events (priming, notifications) may precede it.
        var rest = body;
        while (!rest.IsEmpty)
        {
            var span = rest.Span;
            var end = span.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
            if (line.Span.StartsWith("data:"u8))
            {
                var data = line[5..];
                if (!data.IsEmpty && data.Span[0] == (byte)' ')
                {
                    data = data[1..];
                }

                if (!data.IsEmpty && data.Span[^1] == (byte)'\r')
                {
                    data = data[..^1];
                }

                if (!data.IsEmpty && CheckMessage(data, id, call) is { } outcome)
                {
                    return outcome.Length == 0 ? null : outcome;
                }
            }
        }

        return $"no response with id {id} in the event stream: {ToolCall.Truncate(Encoding.UTF8.GetString(body.Span))}";
    }

    /// <summary>Null when the message is not the response to <paramref name="id"/>; "" when it is and passes; else the failure.</summary>
    private static string? CheckMessage(ReadOnlyMemory<byte> json, long id, ToolCall call)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (!root.TryGetProperty("id", out var responseId) || responseId.ValueKind is not JsonValueKind.Number || responseId.GetInt64() != id)
            {
                return null;
            }

            if (root.TryGetProperty("error", out var error))
            {
                return $"JSON-RPC error: {ToolCall.Truncate(error.GetRawText())}";
            }

            return root.TryGetProperty("result", out var result) ? call.Check(result, id) ?? string.Empty : "response has neither result nor error";
        }
        catch (JsonException exception)
        {
            return $"unparsable response: {exception.Message}";
        }
    }

    private async ValueTask<int> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return length;
            }

            length += read;
        }
    }

    private static HttpRequestMessage NewRequest(HttpMethod method, Uri endpoint, string? bearerToken, string? sessionId, byte[]? body)
    {
        var request = new HttpRequestMessage(method, endpoint) { Version = HttpVersion.Version11 };
        request.Headers.TryAddWithoutValidation("Accept", Accept);
        if (sessionId is not null)
        {
            request.Headers.TryAddWithoutValidation(SessionIdHeader, sessionId);
            request.Headers.TryAddWithoutValidation(ProtocolVersionHeader, ProtocolVersion);
        }

        if (bearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        }

        return request;
    }

    /// <summary>
    /// An HTTP/1.1 sender tuned for load: a bare <see cref="HttpMessageInvoker"/> (HttpClient's per-request timeout
    /// bookkeeping costs the generator's core CPU), no proxy, cookies or decompression, and pooled connections closed
    /// by the client before any server's keep-alive timeout (Node closes idle ones after 5 s).
    /// </summary>
    public static HttpMessageInvoker CreateInvoker() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        AllowAutoRedirect = false,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2),
        MaxConnectionsPerServer = int.MaxValue,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    });
}
