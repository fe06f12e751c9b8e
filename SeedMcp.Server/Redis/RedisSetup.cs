namespace SeedMcp.Server.Redis;

/// <summary>Whether the server runs with Redis, decided once at startup by <see cref="RedisExtensions.AddSeedMcpRedis"/>.</summary>
public sealed record RedisSetup(bool Configured);
