using System.ComponentModel.DataAnnotations;

namespace SeedMcp.Server.Mcp;

/// <summary>What the MCP endpoint accepts at the HTTP level. Section <c>Mcp</c>.</summary>
public sealed class McpHttpOptions
{
    public const string SectionName = "Mcp";

    /// <summary>
    /// Browser origins allowed to call <c>/mcp</c>, besides loopback ones (DNS-rebinding protection, as the MCP
    /// specification requires). Requests without an <c>Origin</c> header (non-browser clients) are not affected.
    /// Env <c>Mcp__AllowedOrigins__0=https://app.example.com</c>.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Largest request body accepted on <c>/mcp</c>, in bytes. Env <c>Mcp__MaxRequestBodyBytes</c>.</summary>
    [Range(1024, 104_857_600, ErrorMessage = "Mcp:MaxRequestBodyBytes (env Mcp__MaxRequestBodyBytes) must be between 1024 and 104857600, e.g. 1048576.")]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
