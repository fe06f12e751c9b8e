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

    /// <summary>The same call with arguments the tool rejects (an <c>isError</c> result), or null when there is none.</summary>
    private readonly byte[]? _failingSuffix;

    /// <summary>Every this-many-th call (by id) is the failing one; 0 for none.</summary>
    private readonly long _failEvery;

    private ToolCall(string name, string argumentsJson, string? failingArgumentsJson, double failingShare)
    {
        Name = name;
        _suffix = Suffix(name, argumentsJson);
        if (failingShare > 0)
        {
            _failingSuffix = Suffix(name, failingArgumentsJson ?? throw new ArgumentException($"Tool '{name}' has no failing call.", nameof(failingShare)));
            _failEvery = Math.Max(1, (long)Math.Round(1 / failingShare));
        }
    }

    public string Name { get; }

    /// <param name="failingShare">Share of calls (0 to 1) sent with arguments the tool rejects, so they fail as real tool calls fail.</param>
    public static ToolCall For(string tool, double failingShare = 0) => tool switch
    {
        // Without its required message, echo answers isError (argument validation): a tool failure, span ERROR.
        Echo => new ToolCall(Echo, $"{{\"message\":\"{EchoMessage}\"}}", "{}", failingShare),
        SystemStatus => new ToolCall(SystemStatus, "{}", null, failingShare),
        _ => throw new ArgumentException($"Unknown tool '{tool}': use '{Echo}' or '{SystemStatus}'.", nameof(tool)),
    };

    private static byte[] Suffix(string name, string argumentsJson) =>
        Encoding.UTF8.GetBytes($",\"method\":\"tools/call\",\"params\":{{\"name\":\"{name}\",\"arguments\":{argumentsJson}}}}}");

    private bool Fails(long id) => _failEvery > 0 && id % _failEvery == 0;

    public byte[] Encode(long id)
    {
        var suffix = Fails(id) ? _failingSuffix! : _suffix;
        Span<byte> digits = stackalloc byte[20];
        id.TryFormat(digits, out var length, provider: System.Globalization.CultureInfo.InvariantCulture);
        var body = new byte[Prefix.Length + length + suffix.Length];
        Prefix.CopyTo(body, 0);
        digits[..length].CopyTo(body.AsSpan(Prefix.Length));
        suffix.CopyTo(body, Prefix.Length + length);
        return body;
    }

    /// <summary>Null when <paramref name="result"/> is what this tool must answer to call <paramref name="id"/>, else what is wrong with it.</summary>
    public string? Check(JsonElement result, long id)
    {
        var failed = result.TryGetProperty("isError", out var isError) && isError.ValueKind is JsonValueKind.True;
        if (Fails(id))
        {
            return failed ? null : $"a call sent to fail did not: {Truncate(result.GetRawText())}";
        }

        if (failed)
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
