using System.ComponentModel.DataAnnotations;

namespace SeedMcp.Server.Telemetry;

/// <summary>What may appear in telemetry about callers and their input. Section <c>Telemetry</c>.</summary>
public sealed class TelemetryPrivacyOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Record tool arguments on tool spans (truncated). Off by default: arguments may hold secrets. Env <c>Telemetry__RecordToolArguments</c>.</summary>
    public bool RecordToolArguments { get; set; }

    /// <summary>Longest recorded argument JSON, in characters. Env <c>Telemetry__ToolArgumentsMaxLength</c>.</summary>
    [Range(16, 4096, ErrorMessage = "Telemetry:ToolArgumentsMaxLength (env Telemetry__ToolArgumentsMaxLength) must be between 16 and 4096.")]
    public int ToolArgumentsMaxLength { get; set; } = 256;

    /// <summary>Replace <c>user.id</c> on spans with a SHA-256 pseudonym. Env <c>Telemetry__PseudonymizeUserIds</c>.</summary>
    public bool PseudonymizeUserIds { get; set; }
}
