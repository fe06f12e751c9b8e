using System.Text.Json;
using SeedMcp.Server.Tools;

namespace SeedMcp.Tests.Tools;

public sealed class ToolArgumentValidatorTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "message": { "type": "string" },
            "count": { "type": "integer" },
            "ratio": { "type": ["number", "null"] },
            "flag": { "type": "boolean" }
          },
          "required": ["message"]
        }
        """).RootElement;

    private static Dictionary<string, JsonElement> Arguments(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    [Fact]
    public void Arguments_that_fit_the_schema_pass() =>
        Assert.Null(ToolArgumentValidator.FindProblem(Schema, Arguments("""{"message":"hi","count":3,"ratio":null,"flag":true,"extra":1}""")));

    [Fact]
    public void A_missing_required_argument_is_named() =>
        Assert.Equal("missing required argument 'message'", ToolArgumentValidator.FindProblem(Schema, Arguments("""{"count":3}""")));

    [Fact]
    public void No_arguments_at_all_misses_the_required_one() =>
        Assert.Equal("missing required argument 'message'", ToolArgumentValidator.FindProblem(Schema, null));

    [Theory]
    [InlineData("""{"message":5}""", "argument 'message' must be a string, but was a number")]
    [InlineData("""{"message":"x","count":1.5}""", "argument 'count' must be an integer, but was a number")]
    [InlineData("""{"message":"x","ratio":"high"}""", "argument 'ratio' must be a number or null, but was a string")]
    [InlineData("""{"message":"x","flag":"yes"}""", "argument 'flag' must be a boolean, but was a string")]
    public void A_wrongly_typed_argument_is_named_with_both_types(string json, string expected) =>
        Assert.Equal(expected, ToolArgumentValidator.FindProblem(Schema, Arguments(json)));
}
