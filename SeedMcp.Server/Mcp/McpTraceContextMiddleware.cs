using System.Diagnostics;
using SeedMcp.Server.Telemetry;
using SeedMcp.ServiceDefaults;

namespace SeedMcp.Server.Mcp;

/// <summary>
/// Makes a request whose caller sends its W3C context only in <c>params._meta</c> (the TypeScript and C# SDK clients)
/// one trace, as a <c>traceparent</c> header does: the HTTP server span, and so auth, rate limiting, session touch
/// and the MCP SDK's span, continue under the caller's span. Runs before authentication, after the request guard
/// (which bounds the body). The body is searched, not parsed (<see cref="RequestMeta"/>).
/// </summary>
/// <remarks>
/// The rule when both carry a context: a valid <c>traceparent</c> header parents the HTTP server span and everything
/// before the MCP SDK (HTTP semantics, what proxies and gateways rely on); the SDK's <c>tools/call</c> span always
/// follows <c>params._meta</c> and links the HTTP span, as the MCP conventions ask. Agreeing clients (an HTTP span
/// inside the MCP client span, same trace) get one tree; disagreeing ones two trees joined by that link.
/// </remarks>
internal sealed class McpTraceContextMiddleware(RequestDelegate next, BaggageAttributes baggage)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        // Tracing off (no request span) costs nothing here.
        if (Activity.Current is null || !HttpMethods.IsPost(request.Method) || !request.Path.StartsWithSegments(McpEndpoint.Path))
        {
            await next(context);
            return;
        }

        var meta = await RequestMeta.PeekAsync(request.BodyReader, context.RequestAborted);
        if (meta.TraceParent is { } traceParent
            && HttpServerSpans.HasNoRemoteParent(context)
            && ActivityContext.TryParse(traceParent, meta.TraceState, isRemote: true, out var parent))
        {
            HttpServerSpans.ContinueUnder(context, parent);
        }

        var connection = context.Connection;
        var clientAddress = connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : null;
        McpRequestTelemetry.Current = new McpRequestTelemetry(
            clientAddress,
            connection.RemotePort,
            HttpServerSpans.ProtocolVersion(request.Protocol),
            baggage.Select(request.Headers.Baggage.ToString(), meta.Baggage));

        await next(context);
    }
}
