using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace SeedMcp.Server.Mcp;

/// <summary>
/// Refuses, before the MCP SDK reads anything, what the SDK would otherwise turn into a 500 or accept unsafely:
/// browser origins that are not allowed (DNS rebinding), bodies that are not JSON, bodies over the size limit.
/// Every refusal is a 4xx with a JSON-RPC error body.
/// </summary>
internal sealed partial class McpRequestGuard(RequestDelegate next, IOptions<McpHttpOptions> options, ILogger<McpRequestGuard> logger)
{
    private readonly HashSet<string> _allowedOrigins = new(options.Value.AllowedOrigins.Select(origin => origin.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);
    private readonly long _maxBodyBytes = options.Value.MaxRequestBodyBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(McpEndpoint.Path))
        {
            await next(context);
            return;
        }

        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsAllowed(origin))
        {
            ForbiddenOrigin(logger, origin);
            await JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status403Forbidden, JsonRpcErrorResult.ServerErrorCode,
                $"Forbidden: Origin '{origin}' is not allowed to call this MCP server. Add it to Mcp:AllowedOrigins if it should be.");
            return;
        }

        if (HttpMethods.IsDelete(context.Request.Method) && context.Request.Headers[McpEndpoint.SessionIdHeader].Count == 0)
        {
            await JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrorResult.ServerErrorCode,
                "Bad Request: DELETE ends a session; name it in the Mcp-Session-Id header.");
            return;
        }

        if (HttpMethods.IsPost(context.Request.Method))
        {
            if (!IsJson(context.Request.ContentType))
            {
                await JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, JsonRpcErrorResult.ServerErrorCode,
                    $"Unsupported Media Type: send the JSON-RPC message with 'Content-Type: application/json', not '{context.Request.ContentType}'.");
                return;
            }

            if (context.Request.ContentLength > _maxBodyBytes)
            {
                await WriteTooLargeAsync(context);
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            {
                bodySize.MaxRequestBodySize = _maxBodyBytes;
            }
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException exception) when (!context.Response.HasStarted)
        {
            // A chunked body that outgrows the limit, or a client that stops sending mid-body: Kestrel's verdict, as JSON-RPC.
            if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await WriteTooLargeAsync(context);
                return;
            }

            await JsonRpcErrorResult.WriteAsync(context, exception.StatusCode, JsonRpcErrorResult.InvalidRequestCode, $"Bad Request: {exception.Message}");
        }
    }

    private Task WriteTooLargeAsync(HttpContext context) =>
        JsonRpcErrorResult.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, JsonRpcErrorResult.InvalidRequestCode,
            $"Payload Too Large: MCP messages are limited to {_maxBodyBytes} bytes (Mcp:MaxRequestBodyBytes).");

    private bool IsAllowed(string origin) =>
        _allowedOrigins.Contains(origin.TrimEnd('/'))
        || (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.IsLoopback);

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Refused a request from Origin {Origin}: not an allowed origin (DNS-rebinding protection)")]
    private static partial void ForbiddenOrigin(ILogger logger, string origin);
}
