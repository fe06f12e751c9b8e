using SeedMcp.Server.Mcp;

namespace SeedMcp.Server.Auth;

/// <summary>
/// The answers to callers that cannot be let in: 401 and 403 with an RFC 6750 <c>WWW-Authenticate</c> challenge that
/// carries the MCP <c>resource_metadata</c> URL (RFC 9728) so clients can discover the authorization server, 503 when
/// the provider's keys cannot be fetched; each with a JSON-RPC error body saying what to do.
/// </summary>
internal static class BearerResponses
{
    /// <param name="resourceMetadataUrl">The one metadata URL (<see cref="AuthSetup.ResourceMetadataUrl"/>).</param>
    public static Task WriteUnauthorizedAsync(HttpContext context, AuthOptions options, Uri resourceMetadataUrl, string outcome)
    {
        var description = AuthOutcome.Describe(outcome);
        var challenge = new List<string> { Parameter("resource_metadata", resourceMetadataUrl.AbsoluteUri) };
        if (options.RequiredScopes.Length > 0)
        {
            challenge.Add(Parameter("scope", string.Join(' ', options.RequiredScopes)));
        }

        // RFC 6750 §3.1: a request without credentials gets the challenge but no error code.
        if (outcome != AuthOutcome.MissingToken)
        {
            challenge.Add(Parameter("error", "invalid_token"));
            challenge.Add(Parameter("error_description", description));
        }

        context.Response.Headers.WWWAuthenticate = "Bearer " + string.Join(", ", challenge);
        return JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status401Unauthorized, JsonRpcErrorResult.ServerErrorCode,
            "Unauthorized: " + description);
    }

    public static Task WriteInsufficientScopeAsync(HttpContext context, AuthOptions options, Uri resourceMetadataUrl, IReadOnlyCollection<string> missingScopes)
    {
        var required = string.Join(' ', options.RequiredScopes);
        var description = $"The access token lacks the scope(s) {string.Join(", ", missingScopes)}; request a token with scope '{required}'.";
        context.Response.Headers.WWWAuthenticate = "Bearer " + string.Join(", ",
            Parameter("error", "insufficient_scope"),
            Parameter("scope", required),
            Parameter("resource_metadata", resourceMetadataUrl.AbsoluteUri),
            Parameter("error_description", description));
        return JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status403Forbidden, JsonRpcErrorResult.ServerErrorCode,
            "Forbidden: " + description);
    }

    public static Task WriteProviderUnavailableAsync(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "5";
        return JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, JsonRpcErrorResult.ServerErrorCode,
            "Service Unavailable: " + AuthOutcome.Describe(AuthOutcome.ProviderUnavailable));
    }

    /// <summary>An auth-param; values are our own sentences, URLs and validated scopes, so none holds a quote.</summary>
    private static string Parameter(string name, string value) => $"{name}=\"{value}\"";
}
