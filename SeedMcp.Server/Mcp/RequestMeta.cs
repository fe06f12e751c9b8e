using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace SeedMcp.Server.Mcp;

/// <summary>
/// The W3C propagation fields of a JSON-RPC message's <c>params._meta</c> (SEP-414: <c>traceparent</c>,
/// <c>tracestate</c>, <c>baggage</c>), found in the raw request bytes before the MCP SDK parses the body.
/// </summary>
/// <remarks>
/// Not a second parse of the body: the bytes Kestrel has buffered anyway are searched (vectorised) for the property
/// name <c>"_meta"</c>, and only that object is tokenised, string values of the three keys kept. The search covers the
/// first <see cref="ScanLimit"/> bytes; they stay unconsumed in the request pipe, so the SDK reads the same bytes
/// afterwards without a copy. Anything malformed yields nothing: the SDK then answers the message as it always did.
/// </remarks>
public readonly record struct RequestMeta(string? TraceParent, string? TraceState, string? Baggage)
{
    /// <summary>How much of a body is searched. MCP requests are far smaller; a larger one is searched in its head only.</summary>
    public const int ScanLimit = 64 * 1024;

    /// <summary>W3C limits: traceparent is 55 characters (version 00), tracestate at most 512, baggage at most 8192.</summary>
    private const int MaxTraceParentLength = 55;
    private const int MaxTraceStateLength = 512;
    private const int MaxBaggageLength = 8192;

    private static ReadOnlySpan<byte> MetaName => "\"_meta\""u8;

    public bool IsEmpty => TraceParent is null && TraceState is null && Baggage is null;

    /// <summary>Waits for the body (up to <see cref="ScanLimit"/> bytes) and searches it, leaving it unread for the SDK.</summary>
    public static async ValueTask<RequestMeta> PeekAsync(PipeReader body, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await body.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (read.IsCompleted || read.IsCanceled || buffer.Length >= ScanLimit)
            {
                var meta = Find(buffer.Length > ScanLimit ? buffer.Slice(0, ScanLimit) : buffer);
                body.AdvanceTo(buffer.Start);
                return meta;
            }

            // Nothing consumed, all examined: the next read returns these bytes and more.
            body.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    public static RequestMeta Find(ReadOnlySequence<byte> bytes)
    {
        if (bytes.IsSingleSegment)
        {
            return Find(bytes.FirstSpan);
        }

        var copy = ArrayPool<byte>.Shared.Rent((int)bytes.Length);
        try
        {
            bytes.CopyTo(copy);
            return Find(copy.AsSpan(0, (int)bytes.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    public static RequestMeta Find(ReadOnlySpan<byte> json)
    {
        var offset = 0;
        while (offset < json.Length)
        {
            var found = json[offset..].IndexOf(MetaName);
            if (found < 0)
            {
                return default;
            }

            var at = offset + found;
            offset = at + MetaName.Length;
            // A quote preceded by an odd number of backslashes is inside a string value, not a property name.
            if (IsEscaped(json, at))
            {
                continue;
            }

            var rest = json[offset..];
            var colon = SkipWhitespace(rest);
            if (colon >= rest.Length || rest[colon] != (byte)':')
            {
                continue;
            }

            var start = colon + 1 + SkipWhitespace(rest[(colon + 1)..]);
            return start < rest.Length && rest[start] == (byte)'{' ? ReadObject(rest[start..]) : default;
        }

        return default;
    }

    private static RequestMeta ReadObject(ReadOnlySpan<byte> json)
    {
        string? traceParent = null, traceState = null, baggage = null;
        var reader = new Utf8JsonReader(json, isFinalBlock: false, state: default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.ValueSpan;
                var isTraceParent = key.SequenceEqual("traceparent"u8);
                var isTraceState = key.SequenceEqual("tracestate"u8);
                var isBaggage = key.SequenceEqual("baggage"u8);
                if (!reader.Read())
                {
                    return default;
                }

                if (reader.TokenType == JsonTokenType.String && (isTraceParent || isTraceState || isBaggage))
                {
                    var limit = isTraceParent ? MaxTraceParentLength : isTraceState ? MaxTraceStateLength : MaxBaggageLength;
                    // Oversized values are ignored, never truncated into something that parses.
                    var value = reader.ValueSpan.Length <= limit * 6 ? reader.GetString() : null;
                    value = value is { Length: > 0 } && value.Length <= limit ? value : null;
                    if (isTraceParent)
                    {
                        traceParent = value;
                    }
                    else if (isTraceState)
                    {
                        traceState = value;
                    }
                    else
                    {
                        baggage = value;
                    }
                }
                else if (!reader.TrySkip())
                {
                    // The object runs past the searched bytes.
                    break;
                }
            }
        }
        catch (JsonException)
        {
            return default;
        }
        catch (InvalidOperationException)
        {
            return default;
        }

        return new RequestMeta(traceParent, traceState, baggage);
    }

    private static bool IsEscaped(ReadOnlySpan<byte> json, int quote)
    {
        var backslashes = 0;
        for (var i = quote - 1; i >= 0 && json[i] == (byte)'\\'; i--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> json)
    {
        var i = 0;
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i;
    }
}
