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

    /// <summary>
    /// Replace the caller's subject everywhere in telemetry (spans, logs, metric labels) with a SHA-256 pseudonym.
    /// Env <c>Telemetry__PseudonymizeUserIds</c>.
    /// </summary>
    public bool PseudonymizeUserIds { get; set; }

    /// <summary>
    /// W3C baggage keys (from the <c>baggage</c> header or <c>params._meta.baggage</c>) copied onto tool spans as
    /// <c>baggage.&lt;key&gt;</c>; baggage is caller input, so nothing else is. Env <c>Telemetry__BaggageAllowList__0</c>….
    /// </summary>
    public string[] BaggageAllowList { get; set; } = [];

    /// <summary>Most baggage entries recorded per span. Env <c>Telemetry__BaggageMaxEntries</c>.</summary>
    [Range(1, 64, ErrorMessage = "Telemetry:BaggageMaxEntries (env Telemetry__BaggageMaxEntries) must be between 1 and 64, e.g. 8.")]
    public int BaggageMaxEntries { get; set; } = 8;

    /// <summary>Longest baggage value recorded, in characters; longer values are left out. Env <c>Telemetry__BaggageMaxValueLength</c>.</summary>
    [Range(1, 4096, ErrorMessage = "Telemetry:BaggageMaxValueLength (env Telemetry__BaggageMaxValueLength) must be between 1 and 4096, e.g. 128.")]
    public int BaggageMaxValueLength { get; set; } = 128;
}
