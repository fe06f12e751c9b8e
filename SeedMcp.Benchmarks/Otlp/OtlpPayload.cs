namespace SeedMcp.Benchmarks.Otlp;

/// <summary>
/// Just enough protobuf to count what an OTLP export carries. Traces, metrics and logs share one shape:
/// request → Resource* (field 1) → Scope* (field 2) → item (field 2); a scope's name is its field 1 → 1 and a span's
/// name its field 5. Written by hand because the sink needs counts, not objects: a full OTLP protobuf library would
/// cost more CPU on the generator's core than the counting does.
/// </summary>
public static class OtlpPayload
{
    private const int VarInt = 0;
    private const int Fixed64 = 1;
    private const int LengthDelimited = 2;
    private const int Fixed32 = 5;

    /// <summary>
    /// As <see cref="CountItems"/>, for OTLP/HTTP JSON (what OpenTelemetry JS's <c>exporter-trace-otlp-http</c> sends):
    /// <c>resourceSpans|resourceMetrics|resourceLogs[].scope*[].spans|metrics|logRecords[]</c>.
    /// </summary>
    public static int CountJsonItems(ReadOnlySpan<byte> request, Action<string, string>? onSpan = null)
    {
        using var document = System.Text.Json.JsonDocument.Parse(request.ToArray());
        var items = 0;
        foreach (var resources in document.RootElement.EnumerateObject())
        {
            foreach (var resource in resources.Value.EnumerateArray())
            {
                foreach (var scopes in resource.EnumerateObject().Where(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.Array))
                {
                    foreach (var scope in scopes.Value.EnumerateArray())
                    {
                        var scopeName = scope.TryGetProperty("scope", out var s) && s.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty;
                        foreach (var list in scope.EnumerateObject().Where(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.Array))
                        {
                            foreach (var item in list.Value.EnumerateArray())
                            {
                                items++;
                                onSpan?.Invoke(scopeName, item.TryGetProperty("name", out var name) ? name.GetString() ?? string.Empty : string.Empty);
                            }
                        }
                    }
                }
            }
        }

        return items;
    }

    /// <summary>Counts items (spans, metrics or log records); calls <paramref name="onSpan"/> with scope and span name.</summary>
    public static int CountItems(ReadOnlySpan<byte> request, Action<string, string>? onSpan = null)
    {
        var items = 0;
        foreach (var resourceRange in Fields(request, 1))
        {
            var resource = request[resourceRange];
            foreach (var scopeRange in Fields(resource, 2))
            {
                var scope = resource[scopeRange];
                var scopeName = onSpan is null ? string.Empty : LastString(scope, 1, 1);
                foreach (var itemRange in Fields(scope, 2))
                {
                    items++;
                    onSpan?.Invoke(scopeName, LastString(scope[itemRange], 5));
                }
            }
        }

        return items;
    }

    /// <summary>The string at field path <paramref name="path"/> (last occurrence wins), or "".</summary>
    private static string LastString(ReadOnlySpan<byte> message, params ReadOnlySpan<int> path)
    {
        Range? last = null;
        foreach (var range in Fields(message, path[0]))
        {
            last = range;
        }

        if (last is not { } found)
        {
            return string.Empty;
        }

        return path.Length == 1 ? System.Text.Encoding.UTF8.GetString(message[found]) : LastString(message[found], path[1..]);
    }

    /// <summary>Where the length-delimited fields numbered <paramref name="field"/> lie in <paramref name="message"/>.</summary>
    private static List<Range> Fields(ReadOnlySpan<byte> message, int field)
    {
        var found = new List<Range>();
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarInt(message, ref position);
            var wireType = (int)(tag & 7);
            var number = (int)(tag >> 3);
            switch (wireType)
            {
                case VarInt:
                    ReadVarInt(message, ref position);
                    break;
                case Fixed64:
                    position += 8;
                    break;
                case Fixed32:
                    position += 4;
                    break;
                case LengthDelimited:
                    var length = (int)ReadVarInt(message, ref position);
                    if (number == field)
                    {
                        found.Add(new Range(position, position + length));
                    }

                    position += length;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {wireType}.");
            }
        }

        return found;
    }

    private static ulong ReadVarInt(ReadOnlySpan<byte> buffer, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = buffer[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("Malformed protobuf varint.");
    }
}
