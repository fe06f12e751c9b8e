using System.Text.Json;

namespace SeedMcp.Tests.Support;

/// <summary>One span as OTLP JSON carries it (the Aspire dashboard's telemetry API answers in that format).</summary>
public sealed record OtlpSpan(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    int Kind,
    IReadOnlyList<string> LinkedSpanIds,
    IReadOnlyDictionary<string, string> Attributes,
    string? ServiceInstanceId)
{
    public const int ServerKind = 2;
    public const int ClientKind = 3;

    /// <summary>OTLP status code: 0 unset, 1 ok, 2 error.</summary>
    public int StatusCode { get; init; }

    public const int ErrorStatus = 2;

    /// <summary>Every span anywhere in an OTLP JSON document, whatever envelope the API wraps it in.</summary>
    public static IReadOnlyList<OtlpSpan> FindAll(JsonElement document)
    {
        var spans = new List<OtlpSpan>();
        Walk(document, spans, serviceInstanceId: null);
        return spans;
    }

    private static void Walk(JsonElement element, List<OtlpSpan> spans, string? serviceInstanceId)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object when element.TryGetProperty("spanId", out _) && element.TryGetProperty("name", out _):
                spans.Add(Parse(element, serviceInstanceId));
                break;
            case JsonValueKind.Object:
                // A resourceSpans entry: its resource names the process every span below it came from.
                if (element.TryGetProperty("resource", out var resource)
                    && ParseAttributes(resource).TryGetValue("service.instance.id", out var instance))
                {
                    serviceInstanceId = instance;
                }

                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, spans, serviceInstanceId);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, spans, serviceInstanceId);
                }

                break;
        }
    }

    private static OtlpSpan Parse(JsonElement span, string? serviceInstanceId)
    {
        string? Text(string name) => span.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String ? value.GetString() : null;

        var kind = span.TryGetProperty("kind", out var kindElement)
            ? kindElement.ValueKind is JsonValueKind.Number ? kindElement.GetInt32() : KindFromName(kindElement.GetString())
            : 0;
        var links = span.TryGetProperty("links", out var linksElement) && linksElement.ValueKind is JsonValueKind.Array
            ? linksElement.EnumerateArray().Select(link => link.GetProperty("spanId").GetString() ?? string.Empty).ToArray()
            : [];

        var status = span.TryGetProperty("status", out var statusElement) && statusElement.ValueKind is JsonValueKind.Object
            && statusElement.TryGetProperty("code", out var code)
                ? code.ValueKind is JsonValueKind.Number ? code.GetInt32() : code.GetString() switch { "STATUS_CODE_OK" => 1, "STATUS_CODE_ERROR" => 2, _ => 0 }
                : 0;

        return new OtlpSpan(
            Text("traceId") ?? string.Empty,
            Text("spanId") ?? string.Empty,
            Text("parentSpanId") is { Length: > 0 } parent ? parent : null,
            Text("name") ?? string.Empty,
            kind,
            links,
            ParseAttributes(span),
            serviceInstanceId)
        {
            StatusCode = status,
        };
    }

    private static Dictionary<string, string> ParseAttributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (owner.TryGetProperty("attributes", out var list) && list.ValueKind is JsonValueKind.Array)
        {
            foreach (var attribute in list.EnumerateArray())
            {
                var value = attribute.GetProperty("value");
                attributes[attribute.GetProperty("key").GetString()!] = value.EnumerateObject().FirstOrDefault().Value.ToString();
            }
        }

        return attributes;
    }

    private static int KindFromName(string? name) => name switch
    {
        "SPAN_KIND_INTERNAL" => 1,
        "SPAN_KIND_SERVER" => 2,
        "SPAN_KIND_CLIENT" => 3,
        "SPAN_KIND_PRODUCER" => 4,
        "SPAN_KIND_CONSUMER" => 5,
        _ => 0,
    };
}
