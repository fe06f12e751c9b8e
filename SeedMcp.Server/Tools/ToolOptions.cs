using System.ComponentModel.DataAnnotations;

namespace SeedMcp.Server.Tools;

/// <summary>Limits on tool execution. Section <c>Tools</c>.</summary>
public sealed class ToolOptions
{
    public const string SectionName = "Tools";

    /// <summary>
    /// How long one tool call may run before it is cancelled and answered with an error. Env <c>Tools__CallTimeout</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00",
        ErrorMessage = "Tools:CallTimeout (env Tools__CallTimeout) must be between 00:00:00.010 and 01:00:00, e.g. 00:00:30.")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
