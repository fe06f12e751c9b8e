using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace SeedMcp.Tests.Support;

public static class ToolResults
{
    /// <summary>The structured content of a successful tool result; fails the test otherwise.</summary>
    public static JsonElement Structured(CallToolResult result)
    {
        Assert.NotEqual(true, result.IsError);
        Assert.NotNull(result.StructuredContent);
        return result.StructuredContent.Value;
    }
}
