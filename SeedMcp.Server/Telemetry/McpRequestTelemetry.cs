namespace SeedMcp.Server.Telemetry;

/// <summary>
/// What the HTTP request knows that the MCP SDK's handlers (which run in the request's execution context) record
/// on their spans: the client's address and port, the HTTP version, the selected baggage. Set once per request by
/// <c>McpTraceContextMiddleware</c>; absent when tracing is off.
/// </summary>
public sealed record McpRequestTelemetry(
    string? ClientAddress,
    int ClientPort,
    string NetworkProtocolVersion,
    IReadOnlyList<KeyValuePair<string, object?>> Baggage)
{
    private static readonly AsyncLocal<McpRequestTelemetry?> Holder = new();

    public static McpRequestTelemetry? Current
    {
        get => Holder.Value;
        internal set => Holder.Value = value;
    }
}
