using System.ComponentModel.DataAnnotations;

namespace SeedMcp.Server.Sessions;

/// <summary>How long MCP sessions live and where their records are kept. Section <c>Sessions</c>.</summary>
public sealed class McpSessionOptions
{
    public const string SectionName = "Sessions";

    /// <summary>Idle lifetime of a session: every request pushes expiry this far ahead. Env <c>Sessions__Ttl</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00",
        ErrorMessage = "Sessions:Ttl (env Sessions__Ttl) must be between 00:00:01 and 30.00:00:00, e.g. 01:00:00 for one hour.")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Prefix of every Redis key the server writes. Env <c>Sessions__KeyPrefix</c>.</summary>
    [Required(ErrorMessage = "Sessions:KeyPrefix (env Sessions__KeyPrefix) must not be empty.")]
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$",
        ErrorMessage = "Sessions:KeyPrefix (env Sessions__KeyPrefix) may hold only letters, digits, '_', '.' and '-' (at most 64).")]
    public string KeyPrefix { get; set; } = "seedmcp";
}
