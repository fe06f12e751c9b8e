namespace SeedMcp.Server.RateLimiting;

/// <summary>Which of the two limits on <c>/mcp</c> a decision belongs to.</summary>
public static class RateLimitScope
{
    /// <summary>One caller: the token's subject, or the client IP when anonymous.</summary>
    public const string Caller = "caller";

    /// <summary>All callers together.</summary>
    public const string Global = "global";
}
