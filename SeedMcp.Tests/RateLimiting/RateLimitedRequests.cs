using System.Net;
using SeedMcp.Tests.Auth;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.RateLimiting;

/// <summary>Stateless MCP requests (no session store involved) and what the rate limiter answered to them.</summary>
public static class RateLimitedRequests
{
    public static async Task<HttpStatusCode> StatusAsync(HttpClient http, Uri endpoint, string? token = null)
    {
        using var response = await http.SendAsync(BearerRequests.StatelessToolCall(endpoint, token));
        return response.StatusCode;
    }

    public static async Task<HttpStatusCode[]> StatusesAsync(HttpClient http, Uri endpoint, int count, string? token = null)
    {
        var statuses = new HttpStatusCode[count];
        for (var i = 0; i < count; i++)
        {
            statuses[i] = await StatusAsync(http, endpoint, token);
        }

        return statuses;
    }

    public static HttpStatusCode[] Repeat(HttpStatusCode status, int count) => Enumerable.Repeat(status, count).ToArray();
}
