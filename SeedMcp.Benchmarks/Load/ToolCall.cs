using System.Text;
using System.Text.Json;

namespace SeedMcp.Benchmarks.Load;

/// <summary>
/// One <c>tools/call</c> request, pre-encoded around its id, and the check its result must pass.
/// </summary>
public sealed class ToolCall
{
    public const string Echo = "echo";
    public const string SystemStatus = "system_status";

    /// <summary>What the benchmark sends to <c>echo</c> and expects back.</summary>
    public const string EchoMessage = "seedmcp-benchmark";

    private static readonly byte[] Prefix = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":");

    private readonly byte[] _suffix;

    private ToolCall(string name, string argumentsJson)
    {
        Name = name;
        _suffix = Encoding.UTF8.GetBytes($",\"method\":\"tools/call\",\"params\":{{\"name\":\"{name}\",\"arguments\":{argumentsJson}}}}}");
    }

    public string Name { get; }

    public static ToolCall For(string tool) => tool switch
    {
        Echo => new ToolCall(Echo, $"{{\"message\":\"{EchoMessage}\"}}"),
        SystemStatus => new ToolCall(SystemStatus, "{}"),
        _ => throw new ArgumentException($"Unknown tool '{tool}': use '{Echo}' or '{SystemStatus}'.", nameof(tool)),
    };

    public byte[] Encode(long id)
    {
        Span<byte> digits = stackalloc byte[20];
        id.TryFormat(digits, out var length, provider: System.Globalization.CultureInfo.InvariantCulture);
        var body = new byte[Prefix.Length + length + _suffix.Length];
        Prefix.CopyTo(body, 0);
        digits[..length].CopyTo(body.AsSpan(Prefix.Length));
        _suffix.CopyTo(body, Prefix.Length + length);
        return body;
    }

    /// <summary>Null when <paramref name="result"/> is what this tool must answer, else what is wrong with it.</summary>
    public string? Check(JsonElement result)
    {
        if (result.TryGetProperty("isError", out var isError) && isError.ValueKind is JsonValueKind.True)
        {
            return $"tool error: {Truncate(result.GetRawText())}";
        }

        if (!result.TryGetProperty("content", out var content) || content.ValueKind is not JsonValueKind.Array || content.GetArrayLength() == 0)
        {
            return "result has no content";
        }

        return Name switch
        {
            Echo when content[0].TryGetProperty("text", out var text) && text.ValueEquals(EchoMessage) => null,
            Echo => $"echo returned something else: {Truncate(content.GetRawText())}",
            SystemStatus when result.TryGetProperty("structuredContent", out var status)
                && status.TryGetProperty("uptimeSeconds", out _) => null,
            SystemStatus => $"system_status returned no status: {Truncate(result.GetRawText())}",
            _ => null,
        };
    }

    internal static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
