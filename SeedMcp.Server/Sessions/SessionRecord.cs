namespace SeedMcp.Server.Sessions;

/// <summary>What the server remembers about one MCP session, wherever it is stored.</summary>
/// <param name="InitializeParams">The client's <c>initialize</c> parameters as JSON, so any instance can restore the session.</param>
public sealed record SessionRecord(
    string Id,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastAccessAt,
    DateTimeOffset ExpiresAt,
    string UserId,
    string? ClientName,
    string? ClientVersion,
    string? ProtocolVersion,
    string InitializeParams);

/// <summary>The outcome of touching a session: the owner's user id when it exists, and its new expiry.</summary>
public readonly record struct SessionTouch(string? OwnerUserId, DateTimeOffset ExpiresAt)
{
    public static SessionTouch NotFound => default;

    public bool Found => OwnerUserId is not null;
}
