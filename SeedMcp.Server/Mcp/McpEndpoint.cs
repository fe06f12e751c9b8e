namespace SeedMcp.Server.Mcp;

/// <summary>Where and how the MCP Streamable HTTP endpoint is exposed.</summary>
public static class McpEndpoint
{
    public const string Path = "/mcp";
    public const string SessionIdHeader = "Mcp-Session-Id";
    public const string ProtocolVersionHeader = "MCP-Protocol-Version";
    public const string SessionExpiresAtHeader = "X-Session-Expires-At";

    /// <summary>The first protocol revision without sessions (SEP-2567): its requests never carry a session.</summary>
    public const string FirstSessionlessProtocolVersion = "2026-07-28";

    /// <summary>Protocol versions are ISO dates, so ordinal order is chronological order.</summary>
    public static bool IsSessionless(string? protocolVersion) =>
        !string.IsNullOrEmpty(protocolVersion)
        && string.CompareOrdinal(protocolVersion, FirstSessionlessProtocolVersion) >= 0;
}
