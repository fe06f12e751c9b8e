using ModelContextProtocol.Client;

namespace SeedMcp.Tests.Support;

public static class McpTestClient
{
    /// <summary>The last protocol revision with sessions: pins the initialize handshake, so the server issues a session.</summary>
    public const string SessionProtocolVersion = "2025-11-25";

    /// <summary>The revision without sessions or initialize; the server serves it statelessly.</summary>
    public const string SessionlessProtocolVersion = "2026-07-28";

    public static Task<McpClient> ConnectAsync(Uri endpoint, string protocolVersion = SessionProtocolVersion, HttpClient? httpClient = null) =>
        McpClient.CreateAsync(
            httpClient is null
                ? new HttpClientTransport(Options(endpoint))
                : new HttpClientTransport(Options(endpoint), httpClient, loggerFactory: null, ownsHttpClient: false),
            new McpClientOptions
            {
                ClientInfo = new() { Name = "seedmcp-tests", Version = "1.0" },
                ProtocolVersion = protocolVersion,
            }).WaitAsync(TimeSpan.FromSeconds(30));

    private static HttpClientTransportOptions Options(Uri endpoint) => new()
    {
        Endpoint = endpoint,
        TransportMode = HttpTransportMode.StreamableHttp,
    };
}
