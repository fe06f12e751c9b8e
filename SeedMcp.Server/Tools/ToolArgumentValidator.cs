using System.Text.Json;

namespace SeedMcp.Server.Tools;

/// <summary>
/// Checks a <c>tools/call</c>'s arguments against the tool's own input schema (required names, JSON types) so a
/// caller learns exactly what was wrong instead of the SDK's generic "An error occurred invoking".
/// Deliberately shallow: top-level names and types are what clients get wrong; the schema's deeper keywords are
/// left to the tool's own binding.
/// </summary>
public static class ToolArgumentValidator
{
    /// <summary>A sentence naming the first problem, or null when the arguments fit the schema.</summary>
    public static string? FindProblem(JsonElement inputSchema, IDictionary<string, JsonElement>? arguments)
    {
        if (inputSchema.ValueKind is not JsonValueKind.Object)
        {
            return null;
        }

        if (inputSchema.TryGetProperty("required", out var required) && required.ValueKind is JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(element => element.GetString()).OfType<string>())
            {
                if (arguments is null || !arguments.ContainsKey(name))
                {
                    return $"missing required argument '{name}'";
                }
            }
        }

        if (arguments is null || !inputSchema.TryGetProperty("properties", out var properties) || properties.ValueKind is not JsonValueKind.Object)
        {
            return null;
        }

        foreach (var (name, value) in arguments)
        {
            if (properties.TryGetProperty(name, out var property)
                && property.ValueKind is JsonValueKind.Object
                && property.TryGetProperty("type", out var type)
                && !MatchesAny(type, value))
            {
                return $"argument '{name}' must be {Describe(type)}, but was {Describe(value.ValueKind)}";
            }
        }

        return null;
    }

    private static bool MatchesAny(JsonElement type, JsonElement value) => type.ValueKind switch
    {
        JsonValueKind.String => Matches(type.GetString(), value),
        JsonValueKind.Array => type.EnumerateArray().Any(option => Matches(option.GetString(), value)),
        _ => true,
    };

    private static bool Matches(string? type, JsonElement value) => type switch
    {
        "string" => value.ValueKind is JsonValueKind.String,
        "integer" => value.ValueKind is JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind is JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => value.ValueKind is JsonValueKind.Object,
        "array" => value.ValueKind is JsonValueKind.Array,
        "null" => value.ValueKind is JsonValueKind.Null,
        _ => true,
    };

    private static string Describe(JsonElement type) => type.ValueKind is JsonValueKind.Array
        ? string.Join(" or ", type.EnumerateArray().Select(option => Article(option.GetString())))
        : Article(type.GetString());

    private static string Article(string? type) => type switch
    {
        "integer" or "object" or "array" => $"an {type}",
        "null" => "null",
        _ => $"a {type}",
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => "missing",
    };
}
