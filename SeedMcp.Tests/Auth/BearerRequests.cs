using System.Net.Http.Headers;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Auth;

/// <summary>Requests to <c>/mcp</c> with or without a bearer token, for tests that check status codes and headers.</summary>
public static class BearerRequests
{
    /// <summary>
    /// A self-contained <c>tools/call</c> of the 2026-07-28 revision (no session, no initialize), so each request stands
    /// alone: what rejection and rate-limit tests need.
    /// </summary>
    public static HttpRequestMessage StatelessToolCall(Uri endpoint, string? token, string tool = "user_info")
    {
        var json = $$"""
            {"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"{{tool}}","arguments":{},"_meta":{
              "io.modelcontextprotocol/protocolVersion":"{{McpTestClient.SessionlessProtocolVersion}}",
              "io.modelcontextprotocol/clientCapabilities":{},
              "io.modelcontextprotocol/clientInfo":{"name":"bearer-tests","version":"1"} } } }
            """;
        var request = RawMcp.Post(endpoint, json, protocolVersion: McpTestClient.SessionlessProtocolVersion);
        request.Headers.Add("Mcp-Method", "tools/call");
        request.Headers.Add("Mcp-Name", tool);
        return WithToken(request, token);
    }

    public static HttpRequestMessage WithToken(HttpRequestMessage request, string? token)
    {
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    /// <summary>An HttpClient that sends the token on every request, for a real MCP client.</summary>
    public static HttpClient ClientWithToken(string token)
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
