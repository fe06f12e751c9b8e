namespace SeedMcp.Server.Sessions;

internal static partial class SessionLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "MCP session {SessionId} opened by {UserId} ({ClientName} {ClientVersion}), expires {ExpiresAt:O}")]
    public static partial void SessionOpened(ILogger logger, string sessionId, string userId, string? clientName, string? clientVersion, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "MCP session {SessionId} ended by its client")]
    public static partial void SessionEnded(ILogger logger, string sessionId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "MCP session {SessionId} is unknown or expired; answering 404")]
    public static partial void SessionNotFound(ILogger logger, string sessionId);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning,
        Message = "MCP session {SessionId} belongs to another user; refusing {CallerUserId} with 403")]
    public static partial void SessionOwnedByAnotherUser(ILogger logger, string sessionId, string callerUserId);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "MCP session {SessionId} restored from the {Store} session store")]
    public static partial void SessionRestored(ILogger logger, string sessionId, string store);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "The session store is unreachable; answering 503 so the client retries")]
    public static partial void SessionStoreUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning,
        Message = "No Redis connection string 'ConnectionStrings:cache' is configured: MCP sessions are kept in memory, so they are lost on restart and not shared between instances. Run under the AppHost, or set ConnectionStrings__cache=localhost:6379 after 'apt-get install redis-server'.")]
    public static partial void InMemoryStoreInUse(ILogger logger);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning,
        Message = "New MCP session refused with 503: the process holds its maximum of {MaxInProcess} sessions (Sessions:MaxInProcess) and, without Redis, cannot let one go. Configure ConnectionStrings:cache or raise Sessions:MaxInProcess.")]
    public static partial void SessionCapReached(ILogger logger, int maxInProcess);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Debug,
        Message = "Session store operation {Operation} failed on attempt {Attempt} ({Error}); retrying in {DelayMilliseconds} ms, {RemainingMilliseconds} ms left of Sessions:StoreRetryBudget")]
    public static partial void StoreOperationRetrying(ILogger logger, string operation, int attempt, string error, long delayMilliseconds, long remainingMilliseconds);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information,
        Message = "Session store operation {Operation} succeeded on attempt {Attempt} after {ElapsedMilliseconds} ms: a Redis failover or reconnect was ridden out")]
    public static partial void StoreOperationRecovered(ILogger logger, string operation, int attempt, long elapsedMilliseconds);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning,
        Message = "Session store operation {Operation} still failing after {Attempts} attempts and the whole Sessions:StoreRetryBudget ({BudgetMilliseconds} ms); giving up")]
    public static partial void StoreRetryBudgetSpent(ILogger logger, string operation, int attempts, long budgetMilliseconds);
}
